"""Example site profile (used by the profile-quirky-wire fixture): Quirky Wire puts bylines in
<span class="who"> and its body in <div class="copy">, next to a longer "partner text" box
that the generic engine would take for the body."""

from __future__ import annotations

from newscrawl.extract.authors import clean_name, split_names
from newscrawl.extract.profiles import Profile
from newscrawl.extract.text import element_text
from newscrawl.items import Author


def authors(doc) -> list[Author] | None:
    raw = " ".join(element_text(el) for el in doc.tree.xpath("//span[@class='who']"))
    names = [clean_name(part) for part in split_names(raw)] if raw else []
    return [Author(name=n, name_raw=raw) for n in names if n] or None


PROFILE = Profile(
    name="quirky_wire",
    fields={"authors": authors},
    body_xpath="//div[@class='copy']",
    drop_xpaths=("//div[@class='partner']",),
)
