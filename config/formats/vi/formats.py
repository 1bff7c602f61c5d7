"""Date input as Vietnamese officers type it: day first (02/01/2026 is 2 January).

Django's own Vietnamese locale defines display formats but no input formats, so a
form would otherwise read 02/01/2026 month first.
"""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

# Numbers as Vietnamese write them: 2.267.900 đồng, 99,95 %. Django's own Vietnamese locale sets
# the separators but no grouping, so amounts would show as 2267900.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
