"""ordbruk.topics."""
