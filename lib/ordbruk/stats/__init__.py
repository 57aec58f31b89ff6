"""ordbruk.stats."""
