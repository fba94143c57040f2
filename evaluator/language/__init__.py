"""The indicator-value language: how "≥10次", "90%以上", "有所提升", "12月底前" are read.

``values`` parses every 指标值 and 实际完成值 into a ``Value`` (comparator, number, unit, tier,
deadline); ``units`` holds the unit vocabulary and exact conversion; ``direction`` says whether a
higher or a lower actual is better. Pure Python, no third-party library.

May import: ``evaluator.errors``, ``evaluator.decimals``, ``evaluator.model``.
"""
