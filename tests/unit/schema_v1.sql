-- The schema netmaint wrote at version 1 (PRAGMA user_version = 1), as sqlite_master holds it:
-- migration tests build an old file from it.
CREATE TABLE "contact" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "company" TEXT NOT NULL, "role" TEXT NOT NULL, "emails" TEXT NOT NULL, "phones" TEXT NOT NULL, "linkedin_url" TEXT NOT NULL, "location" TEXT NOT NULL, "how_met" TEXT NOT NULL, "tier" VARCHAR(1) NOT NULL, "cadence_days" INTEGER, "birthday" TEXT, "notes" TEXT NOT NULL, "source" TEXT NOT NULL, "source_id" TEXT, "connected_on" DATE, "snoozed_until" DATE, "archived" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "last_touch_at" DATETIME);
CREATE TABLE "tag" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);
CREATE UNIQUE INDEX "tag_name" ON "tag" ("name");
CREATE TABLE "contact_tag" ("id" INTEGER NOT NULL PRIMARY KEY, "contact_id" INTEGER NOT NULL, "tag_id" INTEGER NOT NULL, FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE, FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE);
CREATE INDEX "contact_tag_contact_id" ON "contact_tag" ("contact_id");
CREATE INDEX "contact_tag_tag_id" ON "contact_tag" ("tag_id");
CREATE UNIQUE INDEX "contact_tag_contact_id_tag_id" ON "contact_tag" ("contact_id", "tag_id");
CREATE TABLE "draft" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "payload" TEXT NOT NULL, "updated_at" DATETIME NOT NULL);
CREATE TABLE "touch" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "channel" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "minutes" INTEGER, "note" TEXT NOT NULL, "created_at" DATETIME NOT NULL);
CREATE INDEX "touch_at" ON "touch" ("at");
CREATE TABLE "follow_up" ("id" INTEGER NOT NULL PRIMARY KEY, "what" TEXT NOT NULL, "due" DATETIME NOT NULL, "status" VARCHAR(255) NOT NULL, "suggested_by_id" INTEGER, "about_id" INTEGER, "about_text" TEXT NOT NULL, "touch_id" INTEGER, "created_at" DATETIME NOT NULL, "closed_at" DATETIME, FOREIGN KEY ("suggested_by_id") REFERENCES "contact" ("id") ON DELETE SET NULL, FOREIGN KEY ("about_id") REFERENCES "contact" ("id") ON DELETE SET NULL, FOREIGN KEY ("touch_id") REFERENCES "touch" ("id") ON DELETE SET NULL);
CREATE INDEX "follow_up_due" ON "follow_up" ("due");
CREATE INDEX "follow_up_suggested_by_id" ON "follow_up" ("suggested_by_id");
CREATE INDEX "follow_up_about_id" ON "follow_up" ("about_id");
CREATE INDEX "follow_up_touch_id" ON "follow_up" ("touch_id");
CREATE TABLE "goal" ("id" INTEGER NOT NULL PRIMARY KEY, "from_date" DATE NOT NULL, "touches" INTEGER, "minutes" INTEGER, "created_at" DATETIME NOT NULL);
CREATE TABLE "pause" ("id" INTEGER NOT NULL PRIMARY KEY, "start" DATE NOT NULL, "end" DATE NOT NULL, "reason" TEXT NOT NULL, "created_at" DATETIME NOT NULL);
CREATE TABLE "touch_contact" ("id" INTEGER NOT NULL PRIMARY KEY, "touch_id" INTEGER NOT NULL, "contact_id" INTEGER NOT NULL, FOREIGN KEY ("touch_id") REFERENCES "touch" ("id") ON DELETE CASCADE, FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE CASCADE);
CREATE INDEX "touch_contact_touch_id" ON "touch_contact" ("touch_id");
CREATE INDEX "touch_contact_contact_id" ON "touch_contact" ("contact_id");
CREATE UNIQUE INDEX "touch_contact_contact_id_touch_id" ON "touch_contact" ("contact_id", "touch_id");
CREATE INDEX contact_name_nocase ON contact (name COLLATE NOCASE);
CREATE INDEX contact_source ON contact (source, source_id);
CREATE INDEX follow_up_open_due ON follow_up (status, due);
CREATE INDEX touch_contact_touch ON touch_contact (touch_id);
CREATE INDEX touch_at_minutes ON touch (at, minutes);
CREATE TRIGGER touch_contact_ai AFTER INSERT ON touch_contact BEGIN
             UPDATE contact SET last_touch_at = (SELECT at FROM touch WHERE id = NEW.touch_id)
             WHERE id = NEW.contact_id
               AND (last_touch_at IS NULL OR last_touch_at < (SELECT at FROM touch WHERE id = NEW.touch_id));
           END;
CREATE TRIGGER touch_contact_ad AFTER DELETE ON touch_contact BEGIN
             UPDATE contact SET last_touch_at = (
               SELECT MAX(t.at) FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id
               WHERE tc.contact_id = OLD.contact_id)
             WHERE id = OLD.contact_id;
           END;
CREATE TRIGGER touch_au AFTER UPDATE OF at ON touch BEGIN
             UPDATE contact SET last_touch_at = (
               SELECT MAX(t.at) FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id
               WHERE tc.contact_id = contact.id)
             WHERE id IN (SELECT contact_id FROM touch_contact WHERE touch_id = NEW.id);
           END;
