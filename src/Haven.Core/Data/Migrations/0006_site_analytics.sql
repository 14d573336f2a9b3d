-- Site analytics for the public pages: first-party, and only for visitors who have accepted analytics cookies.
-- One row per page shown: the day (UTC), the path (never a query string) and the random id from the visitor's
-- analytics cookie, which is not linked to anything else Haven holds. Rows go after 13 months, and at once when the
-- visitor withdraws consent.

CREATE TABLE site_page_views (
    id bigserial PRIMARY KEY,
    viewed_on date NOT NULL,
    path text NOT NULL CHECK (path LIKE '/%' AND length(path) <= 200 AND strpos(path, '?') = 0),
    visitor text NOT NULL CHECK (visitor ~ '^[0-9a-f]{32}$')
);
CREATE INDEX site_page_views_visitor ON site_page_views (visitor);
CREATE INDEX site_page_views_viewed_on ON site_page_views (viewed_on, path);

DO $grants$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') AND current_user <> '${app_role}' THEN
        GRANT SELECT, INSERT, DELETE ON site_page_views TO "${app_role}";
        GRANT USAGE, SELECT ON SEQUENCE site_page_views_id_seq TO "${app_role}";
    END IF;
END
$grants$;
