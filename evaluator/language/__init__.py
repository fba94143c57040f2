"""The indicator-value language: how "≥10次", "90%以上", "有所提升", "12月底前", "延期完成", "较上年增长10%" are read.

``values`` parses every 指标值 and 实际完成值 into a ``Value`` (comparator, number, unit, tier,
deadline, timing, change from last year), helped by ``numbers`` (comparators, numbers, units,
ranges), ``dates`` (deadlines and dates), ``verdicts`` (the words of met, partly met and not met, of on
time and late), ``relative`` (changes from last year) and ``kinds`` (the closed sets); ``units`` holds
the unit vocabulary and exact conversion; ``direction`` says whether a higher or a lower actual is
better; ``standards`` knows the department-wide standard indicators by name; ``names`` is a name as
matching compares it. Pure Python, no third-party library.

May import: ``evaluator.errors``, ``evaluator.decimals``, ``evaluator.model``.
"""
