# The portal's display formats (Django's date-format syntax); the rest are Django's own for en-GB.
DATE_FORMAT = "j M Y"  # 3 Mar 2026
DATETIME_FORMAT = "j M Y H:i"  # 3 Mar 2026 14:05
SHORT_DATETIME_FORMAT = "D j M H:i"  # a deadline this week or next: Tue 3 Mar 14:05
