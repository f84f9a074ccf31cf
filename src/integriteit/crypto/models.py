from django.db import models


class KeyFingerprint(models.Model):
    """The fingerprint of one key of the key document this database was written with
    (docs/decisions/0011-key-document-check.md).

    `fingerprint` = HMAC-SHA256(key, fixed label + name): enough to tell whether a key document
    is the right one, useless to a reader of the database (it neither reveals the key nor lets
    anyone test a guess, the keys being 256-bit random). One row per named key (`receipt_pepper`,
    `audit_key`, `exclusion_key`, ...) and per KEK version (`kek:<version>`) that stored data or
    the current KEK needs.
    """

    name = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    # When this key was recorded: the newest KEK is the one the last rotation added, so a key
    # document whose current KEK is older is a document from before that rotation.
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
