"""ordbruk.run."""
