-- +goose Up
-- Organisers at every level: a user may organise campaigns for its unit's
-- subtree; a unit officer may act for its unit alone (own) or for every
-- unit below it too (subtree); a campaign is organised in the name of a
-- unit, whose Giấy khen its certificates are.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'organiser', 'unit', 'judge'));
ALTER TABLE users ADD CONSTRAINT users_check CHECK (role NOT IN ('unit', 'organiser') OR unit_id IS NOT NULL);
ALTER TABLE users ADD COLUMN scope text NOT NULL DEFAULT 'own' CHECK (scope IN ('own', 'subtree'));
CREATE INDEX users_unit_id ON users (unit_id);

ALTER TABLE campaigns ADD COLUMN organiser_id bigint REFERENCES units (id);
ALTER TABLE campaigns ADD COLUMN signer_title text NOT NULL DEFAULT '';
CREATE INDEX campaigns_organiser_id ON campaigns (organiser_id);
-- Campaigns made before organisers were the platform's: the root of the
-- unit tree organised them, when the tree has one root.
UPDATE campaigns SET organiser_id = (SELECT id FROM units WHERE parent_id IS NULL)
WHERE (SELECT COUNT(*) FROM units WHERE parent_id IS NULL) = 1;

-- +goose Down
DROP INDEX campaigns_organiser_id;
ALTER TABLE campaigns DROP COLUMN signer_title;
ALTER TABLE campaigns DROP COLUMN organiser_id;
DROP INDEX users_unit_id;
ALTER TABLE users DROP COLUMN scope;
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'unit', 'judge'));
ALTER TABLE users ADD CONSTRAINT users_check CHECK (role <> 'unit' OR unit_id IS NOT NULL);
