"""ordbruk.text."""
