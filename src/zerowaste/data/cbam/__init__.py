"""CBAM goods (CN codes of Annex I of Regulation (EU) 2023/956) for the demo city's sectors."""
