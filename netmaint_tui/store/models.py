"""Peewee models: the user's data. Times are stored as naive UTC; dates as ISO dates.

The proxy is bound by `store.db.open_database`; worker threads use `database.connection_context()`.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()



class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Contact(BaseModel):
    name = TextField()
    company = TextField(default="")
    role = TextField(default="")
    emails = TextField(default="[]")  # JSON list: a contact rarely has more than a few
    phones = TextField(default="[]")  # JSON list
    linkedin_url = TextField(default="")
    location = TextField(default="")
    how_met = TextField(default="")
    tier = CharField(max_length=1, default="B")
    cadence_days = IntegerField(null=True)  # None = the tier's default from the config
    birthday = TextField(null=True)  # 'YYYY-MM-DD' or '--MM-DD'
    notes = TextField(default="")
    source = TextField(default="manual")
    source_id = TextField(null=True)
    connected_on = DateField(null=True)
    snoozed_until = DateField(null=True)
    archived = BooleanField(default=False)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Maintained by triggers on touch_contact/touch (migration 1), never by application code,
    # so ranking 30,000 contacts needs no aggregate over 300,000 touches.
    last_touch_at = DateTimeField(null=True)
    # When they last wrote to the user: a mail they sent is no touch (the habit counts what the
    # user does), but it is worth knowing. Kept by services.capture (migration 2), only ever moved later.
    last_heard_at = DateTimeField(null=True)
    # Who this contact is in every synced folder and on every other netmaint: set by a trigger
    # when the row is inserted (migration 3), and changed at most once: when a first sync finds
    # the contact's card already in the folder (a card imported before, or one sharing an email),
    # the contact takes that card's UID, which no server lets change.
    uid = TextField(null=True, unique=True)


class ContactDate(BaseModel):
    """A date worth a touch besides the birthday (kept on the contact): an anniversary, and what
    it marks ("work anniversary", "met"). Migration 4."""

    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="dates")
    label = TextField()
    date = TextField()  # 'YYYY-MM-DD' or '--MM-DD', as a birthday


class Tag(BaseModel):
    name = TextField(unique=True)


class ContactTag(BaseModel):
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="contact_tags")
    tag = ForeignKeyField(Tag, on_delete="CASCADE", backref="contact_tags")

    class Meta:
        indexes = ((("contact", "tag"), True),)


class Touch(BaseModel):
    at = DateTimeField(index=True)  # UTC
    channel = CharField(default="meeting")
    kind = CharField(default="catch-up")
    minutes = IntegerField(null=True)
    note = TextField(default="")
    created_at = DateTimeField()
    # Where a captured touch came from ('calendar' or 'mail', and the event's or the message's id
    # there); None for a touch the user logged (migration 2).
    source = TextField(null=True)
    source_id = TextField(null=True)
    uid = TextField(null=True, unique=True)  # as Contact.uid: its journal entry's UID


class TouchContact(BaseModel):
    touch = ForeignKeyField(Touch, on_delete="CASCADE", backref="links")
    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="touch_links")

    class Meta:
        indexes = ((("contact", "touch"), True),)


class FollowUp(BaseModel):
    what = TextField()
    due = DateTimeField(index=True)  # UTC
    status = CharField(default="open")
    suggested_by = ForeignKeyField(Contact, null=True, on_delete="SET NULL", backref="suggested")
    about = ForeignKeyField(Contact, null=True, on_delete="SET NULL", backref="about_follow_ups")
    about_text = TextField(default="")  # a company or a person not (yet) in the network
    touch = ForeignKeyField(Touch, null=True, on_delete="SET NULL", backref="follow_ups")
    created_at = DateTimeField()
    closed_at = DateTimeField(null=True)
    uid = TextField(null=True, unique=True)  # as Contact.uid: its task's UID
    # The due time a reminder outside the app was sent for (`today --notify due`), so each is
    # sent once; a follow-up moved to a later time is reminded of again then (migration 4).
    notified_due = DateTimeField(null=True)


class Goal(BaseModel):
    from_date = DateField()
    touches = IntegerField(null=True)
    minutes = IntegerField(null=True)
    created_at = DateTimeField()
    uid = TextField(null=True, unique=True)  # as Contact.uid: its journal entry's UID


class Pause(BaseModel):
    start = DateField()
    end = DateField()
    reason = TextField(default="")
    created_at = DateTimeField()
    uid = TextField(null=True, unique=True)  # as Contact.uid: its journal entry's UID


class Draft(BaseModel):
    """Text being typed in the app, saved as it is typed so a crash loses nothing."""

    kind = CharField(default="quick_note")
    payload = TextField()  # JSON of the form's fields
    updated_at = DateTimeField()


class CapturedItem(BaseModel):
    """A calendar occurrence or a sent mail that a capture has read, so that it is read once.

    The row outlives its touch (ON DELETE SET NULL): a captured touch the user deletes stays
    deleted however often the same file is read again.
    """

    source = CharField()  # 'calendar' | 'mail'
    source_id = TextField()  # UID/RECURRENCE-ID (or start); Message-ID, else a hash of the headers
    touch = ForeignKeyField(Touch, null=True, on_delete="SET NULL", backref="captured_items")
    # 'captured': it made a touch or joined one made from the same conversation that day;
    # 'linked': the user had logged it by hand already; 'no-contact': nobody in it is a contact
    # yet, so a later capture, after the user adds one of them, still makes its touch.
    outcome = CharField()
    group_key = TextField(null=True)  # mail: the conversation and the day, which share one touch
    at = DateTimeField()  # when it happened (UTC)
    captured_at = DateTimeField()

    class Meta:
        indexes = ((("source", "source_id"), True), (("source", "group_key"), False))


class Correspondent(BaseModel):
    """An address the user met or wrote to that is no contact's: the people worth adding."""

    email = TextField(unique=True)  # case-folded
    name = TextField(default="")
    times = IntegerField(default=0)  # meetings and conversations (one per conversation a day)
    first_at = DateTimeField()
    last_at = DateTimeField()


class SyncFolder(BaseModel):
    """A folder the network is synced with (services.sync): which one it was, and when it ran."""

    name = CharField(unique=True)  # 'contacts' | 'follow_ups' | 'journal'
    path = TextField()  # as resolved at the last run: another folder starts afresh
    last_run = DateTimeField(null=True)
    # The folder's own modification time (ns) when the last run ended, when that run made sure it
    # will move with any change to the folder: while it has not moved, no file is looked at
    # (migration 8). None: the next run lists the folder.
    stamp = IntegerField(null=True)
    full_at = DateTimeField(null=True)  # the last run that listed every file (at least one a day)
    options = TextField(null=True)  # JSON of the settings that shape the folder, as at the last run


class SyncItem(BaseModel):
    """One item as it was at its last sync, on both sides: its file and the values both agreed on
    (the base of a three-way merge when both change before the next run)."""

    folder = CharField()  # SyncFolder.name
    uid = TextField()
    kind = CharField()  # 'contact' | 'follow_up' | 'touch' | 'goal' | 'pause'
    local_id = IntegerField()
    href = TextField()  # the file's name in the folder
    etag = TextField()  # its size and mtime when last read or written: unchanged files are not read
    hash = TextField()  # of its bytes: a file touched but not changed is no change
    base = TextField()  # JSON of the values both sides held

    class Meta:
        # (folder, href, etag) covers a full pass, which reads every file's etag (migration 8).
        indexes = ((("folder", "uid"), True), (("folder", "href", "etag"), False), (("kind", "local_id"), False))


class SyncChange(BaseModel):
    """A row changed since the last sync, noted by triggers (migration 3) while any folder is
    synced, so that a sync reads only what changed instead of the whole network."""

    kind = CharField()
    local_id = IntegerField()

    class Meta:
        primary_key = CompositeKey("kind", "local_id")
        without_rowid = True


class DeletedTouch(BaseModel):
    """A deleted touch, kept whole for 30 days so that it can be brought back (migration 6).

    Out of the touch table, it is out of every count at once (the last touch, streaks, goodwill,
    the ranking); the payload has all it takes to put it back as it was.
    """

    touch_id = IntegerField(index=True)  # its number when it was deleted
    # JSON: the touch's row, its people (ids and names), the follow-ups and captured items that pointed at it.
    payload = TextField()
    deleted_at = DateTimeField(index=True)  # UTC


class ContactAlias(BaseModel):
    """Another source's id for a contact: the one a contact merged into it had (migration 7), so
    that the next import of that source finds this contact instead of adding the other again."""

    contact = ForeignKeyField(Contact, on_delete="CASCADE", backref="aliases")
    source = TextField()
    source_id = TextField()

    class Meta:
        indexes = ((("source", "source_id"), False),)


class NotDuplicate(BaseModel):
    """Two contacts the user said are two people (migration 9): no longer listed as likely
    duplicates. `first` is the smaller id. Removed with either contact."""

    first = ForeignKeyField(Contact, on_delete="CASCADE")
    second = ForeignKeyField(Contact, on_delete="CASCADE")
    created_at = DateTimeField()

    class Meta:
        indexes = ((("first", "second"), True),)


class HistoryNote(BaseModel):
    """A line in a contact's history that is no touch (migration 8): what a synced folder said
    where netmaint kept its own value, so nothing typed anywhere is lost. A note about a
    follow-up is shown with it too."""

    contact = ForeignKeyField(Contact, null=True, on_delete="CASCADE", backref="history_notes")
    follow_up = ForeignKeyField(FollowUp, null=True, on_delete="CASCADE", backref="history_notes")
    at = DateTimeField(index=True)  # UTC
    source = CharField(default="sync")  # what wrote it
    text = TextField()


ALL_MODELS = (Contact, ContactDate, Tag, ContactTag, Touch, TouchContact, FollowUp, Goal, Pause, Draft, CapturedItem, Correspondent,
              SyncFolder, SyncItem, SyncChange, DeletedTouch, ContactAlias, HistoryNote, NotDuplicate)
