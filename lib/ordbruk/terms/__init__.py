"""ordbruk.terms."""
