"""Django's database sessions, except that the database never holds a session key.

Django stores the cookie's value itself as `django_session.session_key`: anyone with a copy of
the table can send it back as a cookie and take over every live session (a reporter's receipt
page or mailbox, a verified staff member's work). Here the row is keyed by a keyed digest of the
cookie's value (`crypto.tokens.session_storage_key`, under SECRET_KEY), so a database copy
names no session that can be used (docs/decisions/0005-receipt-codes.md).

`SESSION_ENGINE = "integriteit.ui.sessions"`. Everything else is Django's: the session data is
signed as before, `clearsessions` works on `expire_date`, and `cycle_key` and `flush` delete the
old row by its digest.
"""

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import db
from django.utils import timezone

from integriteit.crypto.tokens import session_storage_key


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if self.session_key is None:  # no cookie, or a cookie that failed validation
            return None
        found = self.model.objects.filter(
            session_key=session_storage_key(self.session_key), expire_date__gt=timezone.now()
        ).first()
        if found is None:
            self._session_key = None
        return found

    def exists(self, session_key):
        return self.model.objects.filter(session_key=session_storage_key(session_key)).exists()

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.session_key = session_storage_key(instance.session_key)
        return instance

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key is None:
            return
        self.model.objects.filter(session_key=session_storage_key(session_key)).delete()

    # The asynchronous variants take the same path (Django's would use the raw key).
    async def _aget_session_from_db(self):
        return await sync_to_async(self._get_session_from_db)()

    async def aexists(self, session_key):
        return await sync_to_async(self.exists)(session_key)

    async def acreate_model_instance(self, data):
        return await sync_to_async(self.create_model_instance)(data)

    async def adelete(self, session_key=None):
        return await sync_to_async(self.delete)(session_key)
