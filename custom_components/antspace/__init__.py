"""The Antspace integration: Bitmain Antspace liquid-cooling containers."""
