"""Field mappings from each old format to site-builder's, in one place.

Each table maps an old key to the new field (or profile kind). The adapters read these tables;
a key that is in none of them and matters to a visitor is listed in the migration report."""

# Pages whose addresses site-builder (or its content kinds) owns; an old page with one of these
# names is replaced by the generated page.
OWN_ADDRESSES = ("publications", "papers", "assets", "news", "blog", "posts", "talks", "projects",
                 "teaching", "cv", "files", "resume", "portfolio", "year-archive", "software")

# Jekyll front matter read for posts and pages; IGNORED_FIELDS only steer the old site's layout or
# URLs (handled by the link map) and need no mention in the report.
POST_FIELDS = ("title", "date", "tags", "categories", "description", "excerpt", "summary", "published",
               "thumbnail", "image")
PAGE_FIELDS = ("title", "nav_order", "permalink", "dropdown", "redirect", "profile", "subtitle")
IGNORED_FIELDS = ("layout", "permalink", "redirect_from", "nav", "author_profile", "sitemap", "collection",
                  "last_modified_at", "toc", "related_posts", "share", "read_time", "comments", "giscus_comments",
                  "disqus_comments", "pretty_table", "math", "mathjax", "_styles", "featured", "inline",
                  "horizontal", "display_categories", "news", "selected_papers", "social", "lang")

# al-folio BibTeX fields naming a file of the old site, and the folder they name it in
ALFOLIO_FILE_FIELDS = {"pdf": "assets/pdf", "supp": "assets/pdf", "poster": "assets/pdf", "slides": "assets/pdf",
                       "html": "assets/html", "preview": "assets/img/publication_preview"}

# Profile links: old key -> (site.yaml profiles kind, how to make the value from the old one)
ALFOLIO_SOCIALS = {
    "email": ("email", "{}"),
    "scholar_userid": ("google_scholar", "https://scholar.google.com/citations?user={}"),
    "orcid_id": ("orcid", "{}"),
    "github_username": ("github", "{}"),
    "linkedin_username": ("linkedin", "{}"),
    "twitter_username": ("x", "{}"),
    "x_username": ("x", "{}"),
    "bluesky_url": ("bluesky", "{}"),
    "mastodon_username": ("mastodon", "https://{}"),  # written 'instance.tld/@username'
    "bluesky_username": ("bluesky", "{}"),
    "dblp_url": ("dblp", "{}"),
    "semanticscholar_id": ("semantic_scholar", "https://www.semanticscholar.org/author/{}"),
}
ACADEMICPAGES_SOCIALS = {
    "email": ("email", "{}"),
    "googlescholar": ("google_scholar", "{}"),
    "orcid": ("orcid", "{}"),
    "github": ("github", "{}"),
    "linkedin": ("linkedin", "{}"),
    "twitter": ("x", "{}"),
    "bluesky": ("bluesky", "{}"),
    "mastodon": ("mastodon", "{}"),
    "dblp": ("dblp", "{}"),
    "semantic": ("semantic_scholar", "{}"),
}
# Hugo Blox 'social:' icons (and newer 'profiles:' icons) -> profile kind
HUGO_SOCIAL_ICONS = {
    "envelope": "email", "at-symbol": "email", "email": "email", "twitter": "x", "x-twitter": "x",
    "brands/x": "x", "github": "github", "brands/github": "github", "google-scholar": "google_scholar",
    "academicons/google-scholar": "google_scholar", "orcid": "orcid", "academicons/orcid": "orcid",
    "linkedin": "linkedin", "brands/linkedin": "linkedin", "bluesky": "bluesky", "brands/bluesky": "bluesky",
    "mastodon": "mastodon", "brands/mastodon": "mastodon", "dblp": "dblp", "semantic-scholar": "semantic_scholar",
}

# academicpages publication_category keys -> bibtex_type
ACADEMICPAGES_CATEGORIES = {"books": "book", "manuscripts": "article", "conferences": "inproceedings"}

# academicpages _publications front matter -> paper link label
ACADEMICPAGES_LINKS = {"paperurl": "pdf", "slidesurl": "slides", "codeurl": "code", "bibtexurl": "bibtex",
                       "videourl": "video", "posterurl": "poster"}
ACADEMICPAGES_PAPER_KEYS = ("title", "collection", "category", "permalink", "excerpt", "date", "venue",
                            "citation", "authors", "author", "layout", *ACADEMICPAGES_LINKS)

# Jekyll talks and teaching (academicpages; al-folio sites that add them) -> talk / teaching fields
TALK_FIELDS = {"venue": "event", "event": "event", "location": "location", "type": "kind",
               "slidesurl": "links.slides", "talkurl": "links.event", "videourl": "links.video",
               "paperurl": "links.paper"}
TEACHING_FIELDS = {"venue": "institution", "institution": "institution", "location": "location",
                   "type": "kind", "term": "term", "year": "term", "course_id": "kind"}
COMMON_FIELDS = ("title", "date", "collection", "permalink", "layout", "excerpt", "inline", "published",
                 "redirect_from", "author_profile", "share", "comments", "related", "sitemap")

# Hugo section folder -> content folder
HUGO_SECTIONS = {
    "publication": "papers", "publications": "papers",
    "event": "talks", "events": "talks", "talk": "talks", "talks": "talks",
    "post": "posts", "posts": "posts", "blog": "posts",
    "project": "projects", "projects": "projects",
    "teaching": "teaching", "courses": "teaching",
}

# Hugo Blox profile (and widget) CV entries: old key -> cv.yaml entry key, per section
HUGO_CV_EDUCATION = {"course": "degree", "area": "degree", "degree": "degree", "institution": "institution",
                     "year": "year", "date_start": "start", "date_end": "end", "start": "start", "end": "end",
                     "summary": "description",
                     "description": "description"}
HUGO_CV_WORK = {"position": "title", "title": "title", "role": "title", "company_name": "organization",
                "company": "organization", "org": "organization", "company_url": "url", "location": "location",
                "date_start": "start", "date_end": "end", "start": "start", "end": "end",
                "summary": "description", "description": "description"}
HUGO_CV_AWARDS = {"title": "title", "awarder": "organization", "organization": "organization", "url": "url",
                  "date": "year", "date_start": "start", "date_end": "end", "summary": "description",
                  "description": "description", "certificate_url": "url"}

# Hugo Blox url_* -> link label (papers, talks, projects alike)
HUGO_LINKS = {"url_pdf": "pdf", "url_code": "code", "url_dataset": "data", "url_poster": "poster",
              "url_project": "website", "url_slides": "slides", "url_source": "source",
              "url_video": "video", "event_url": "event", "external_link": "website"}
# publication_types, old numeric codes and CSL names -> bibtex_type
HUGO_TYPES = {
    "0": "misc", "1": "inproceedings", "2": "article", "3": "misc", "4": "techreport", "5": "book",
    "6": "incollection", "7": "phdthesis", "8": "misc",
    "article-journal": "article", "paper-conference": "inproceedings", "article": "misc",
    "chapter": "incollection", "book": "book", "report": "techreport", "thesis": "phdthesis",
    "patent": "misc", "manuscript": "unpublished",
}
# Fields of talks, posts and projects that are mapped, or only about the old theme's layout (lower case)
HUGO_ITEM_KEYS = ("title", "date", "event_start", "event_end", "date_end", "publishdate", "lastmod", "summary",
                  "event", "event_name", "address", "location", "abstract", "tags", "links", "image", "draft",
                  "all_day", "featured", "categories", "subtitle", "projects", "slides", *HUGO_LINKS)
HUGO_PAPER_KEYS = ("title", "authors", "author_notes", "date", "publishDate", "publication",
                   "publication_short", "abstract", "summary", "featured", "links", "doi", "image",
                   "publication_types", "tags", "draft", "categories", "projects", "slides", "hugoblox",
                   "lastmod", *HUGO_LINKS)

# Settings that a static site-builder site has no place for, reported with their line when set.
JEKYLL_LEFT = {
    "google_analytics": "Google Analytics ID", "panelbear_analytics": "Panelbear analytics ID",
    "cronitor_analytics": "Cronitor analytics ID", "pirsch_analytics": "Pirsch analytics ID",
    "openpanel_analytics": "OpenPanel analytics ID", "disqus_shortname": "Disqus comments",
    "giscus": "giscus comments", "google_site_verification": "Google site verification",
    "bing_site_verification": "Bing site verification", "analytics": "analytics",
    "comments": "comments", "imagemagick": "responsive images (ImageMagick)",
}
HUGO_LEFT = {
    "google_analytics": "Google Analytics ID", "googleAnalytics": "Google Analytics ID",
    "google_tag_manager": "Google Tag Manager ID", "disqusShortname": "Disqus comments",
    "shortname": "Disqus comments", "engine": "comments engine", "baidu_tongji": "Baidu analytics",
    "plausible": "Plausible analytics", "fathom": "Fathom analytics", "google_site_verification":
    "Google site verification",
}
