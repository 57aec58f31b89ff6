"""ordbruk.corpus."""
