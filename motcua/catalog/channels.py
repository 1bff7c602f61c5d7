"""The channels a dossier can come in by, and their numbers in national synchronisation.

Decree 118/2025/NĐ-CP Art. 17 receives dossiers at the counter, by post and online; the
national portal numbers them 1 = counter, 2 = online, 3 = post (practice, DOMAIN.md §5).
The catalogue states a time limit and fees per channel (Decree 63/2010/NĐ-CP Art. 8.2).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")


#: The channel numbers of national synchronisation.
NATIONAL_NUMBERS = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}

#: How the national catalogue names each channel in its "Cách thức thực hiện" table.
CATALOGUE_NAMES = {"Trực tiếp": Channel.COUNTER, "Trực tuyến": Channel.ONLINE, "Dịch vụ bưu chính": Channel.POST}
