"""Fictional firm names in Chinese and English, and the streets of their addresses."""

from __future__ import annotations

import random
from dataclasses import dataclass

#: Characters common in Chinese trade names (字号), with their pinyin. Combined at random
#: they give invented names; any likeness to a real firm is a coincidence.
TRADE_SYLLABLES = (
    ("恒", "Heng"), ("泰", "Tai"), ("华", "Hua"), ("盛", "Sheng"), ("鑫", "Xin"),
    ("源", "Yuan"), ("德", "De"), ("瑞", "Rui"), ("隆", "Long"), ("宏", "Hong"),
    ("达", "Da"), ("嘉", "Jia"), ("安", "An"), ("通", "Tong"), ("顺", "Shun"),
    ("丰", "Feng"), ("昌", "Chang"), ("凯", "Kai"), ("锦", "Jin"), ("立", "Li"),
    ("科", "Ke"), ("创", "Chuang"), ("远", "Yuan"), ("博", "Bo"), ("众", "Zhong"),
    ("汇", "Hui"), ("合", "He"), ("信", "Xin"), ("晨", "Chen"), ("润", "Run"),
    ("天", "Tian"), ("永", "Yong"), ("正", "Zheng"), ("益", "Yi"), ("诚", "Cheng"),
    ("峰", "Feng"), ("海", "Hai"), ("明", "Ming"), ("星", "Xing"), ("亚", "Ya"),
    ("康", "Kang"), ("威", "Wei"), ("洁", "Jie"), ("禾", "He"), ("骏", "Jun"),
    ("越", "Yue"), ("启", "Qi"), ("捷", "Jie"), ("宇", "Yu"), ("富", "Fu"),
    ("沃", "Wo"), ("卓", "Zhuo"), ("铭", "Ming"), ("弘", "Hong"), ("拓", "Tuo"),
    ("晟", "Sheng"), ("鸿", "Hong"), ("旭", "Xu"), ("睿", "Rui"), ("澄", "Cheng"),
)  # fmt: skip

#: Invented street names for addresses (路 road, 大道 avenue).
STREETS = (
    "长江路", "新华路", "振兴路", "创业路", "科技大道", "工业园路", "港城大道", "滨江路",
    "富民路", "兴业路", "环湖路", "东方大道", "锦绣路", "通园路", "青年路", "建设路",
)  # fmt: skip

#: Legal forms: Chinese suffix and English equivalent.
LIMITED = ("有限公司", "Co., Ltd.")
JOINT_STOCK = ("股份有限公司", "Co., Ltd.")
GROUP = ("集团有限公司", "Group Co., Ltd.")


@dataclass(frozen=True, slots=True)
class FirmName:
    """A firm's registered name and its English name."""

    zh: str
    en: str


class NameBook:
    """Hands out unique fictional names; deterministic for a given random source."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[str] = set()

    def firm(
        self,
        place: tuple[str, str],
        business: tuple[str, str],
        legal_form: tuple[str, str] = LIMITED,
    ) -> FirmName:
        """A new name: place + invented trade name + line of business + legal form.

        Args:
            place: The place name (Chinese, pinyin), e.g. ("昆山", "Kunshan").
            business: The line of business (Chinese, English), e.g. ("精密冲压", "Precision
                Stamping").
            legal_form: The legal form (Chinese suffix, English suffix).
        """
        for attempt in range(200):
            syllables = 2 if attempt < 40 else 3
            picked = self._rng.sample(TRADE_SYLLABLES, syllables)
            trade_zh = "".join(zh for zh, _ in picked)
            trade_en = "".join(en for _, en in picked).capitalize()
            zh = f"{place[0]}{trade_zh}{business[0]}{legal_form[0]}"
            if zh not in self._taken:
                self._taken.add(zh)
                return FirmName(zh, f"{place[1]} {trade_en} {business[1]} {legal_form[1]}")
        raise RuntimeError("ran out of fictional names")  # pragma: no cover - 200k+ firms

    def reserve(self, name: str) -> None:
        """Mark a fixed name (a real authority's) as used."""
        self._taken.add(name)

    def address(self, county_name: str) -> str:
        """An invented street address in a county."""
        return f"{county_name}{self._rng.choice(STREETS)}{self._rng.randint(1, 999)}号"
