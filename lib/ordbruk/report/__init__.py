"""ordbruk.report."""
