/* gw_json.c — the gateway's items as JSON, both ways: what the API takes
 * and answers, and what the console's forms and the command line build and
 * hand to the same cores (see gw.h). */
#include <stdio.h>
#include <string.h>

#include "gw/gw.h"
#include "gw/gw_json.h"

#define BAD(f, ...) (*field = (f), snprintf(err, errlen, __VA_ARGS__), 400)

typedef struct {
	const char *name;
	char *dst;
	size_t size;
} sfield_t;

/* Read in's members into the string fields fs (n of them), the work areas
 * (an array of names or a comma-separated string) into *areas and the TLP
 * into *tlp (when tlp is not NULL); any other member is refused. */
static int read_obj(json_t *in, sfield_t *fs, size_t n, unsigned *areas, tlp_t *tlp, const char **field,
		    char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	if (!json_is_object(in))
		return BAD(NULL, "the body must be a JSON object");
	json_object_foreach(in, k, v) {
		size_t i;
		for (i = 0; i < n; i++)
			if (!strcmp(k, fs[i].name))
				break;
		if (i < n) {
			if (!json_is_string(v))
				return BAD(fs[i].name, "%s must be a string", fs[i].name);
			if (util_copy(fs[i].dst, fs[i].size, json_string_value(v)))
				return BAD(fs[i].name, "%s is longer than %zu bytes", fs[i].name, fs[i].size - 1);
			continue;
		}
		if (!strcmp(k, "areas")) {
			char list[256] = "", e2[160];
			if (json_is_string(v)) {
				if (util_copy(list, sizeof list, json_string_value(v)))
					return BAD("areas", "areas is too long");
			} else if (json_is_array(v)) {
				size_t j;
				json_t *a;
				json_array_foreach(v, j, a) {
					if (!json_is_string(a) || strlen(list) + strlen(json_string_value(a)) + 2 > sizeof list)
						return BAD("areas", "areas is a list of work areas' names");
					strcat(list, json_string_value(a));
					strcat(list, ",");
				}
			} else
				return BAD("areas", "areas is a list of work areas' names");
			if (gw_area_parse(list, areas, e2, sizeof e2))
				return BAD("areas", "%s", e2);
			continue;
		}
		if (tlp && !strcmp(k, "tlp")) {
			if (!json_is_string(v) || tlp_parse(json_string_value(v), tlp))
				return BAD("tlp", "tlp must be clear, green, amber, amber+strict or red");
			continue;
		}
		return BAD(k, "unknown field '%.60s'", k);
	}
	return 0;
}

#define SF(s, f) {#f, (s)->f, sizeof (s)->f}

int gw_entry_from_json(json_t *in, store_gw_entry_t *e, const char **field, char *err, size_t errlen)
{
	sfield_t fs[] = {SF(e, kind), SF(e, name), SF(e, stakeholder), SF(e, country), SF(e, sector),
			 SF(e, description), SF(e, website), SF(e, email), SF(e, phone), SF(e, pgp),
			 SF(e, x509), SF(e, status)};
	*field = NULL;
	return read_obj(in, fs, sizeof fs / sizeof *fs, &e->areas, NULL, field, err, errlen);
}

int gw_res_from_json(json_t *in, store_gw_res_t *r, const char **field, char *err, size_t errlen)
{
	sfield_t fs[] = {SF(r, type), SF(r, title), SF(r, summary), SF(r, stakeholder), SF(r, country),
			 SF(r, lang), SF(r, link), SF(r, status)};
	*field = NULL;
	return read_obj(in, fs, sizeof fs / sizeof *fs, &r->areas, &r->tlp, field, err, errlen);
}

int gw_news_from_json(json_t *in, store_gw_news_t *n, const char **field, char *err, size_t errlen)
{
	sfield_t fs[] = {SF(n, title), SF(n, body), SF(n, status)};
	*field = NULL;
	return read_obj(in, fs, sizeof fs / sizeof *fs, &n->areas, &n->tlp, field, err, errlen);
}

json_t *gw_areas_json(unsigned areas)
{
	json_t *a = json_array();
	for (int i = 0; i < GW_AREAS; i++)
		if (areas & (1u << i))
			json_array_append_new(a, json_string(gw_area_names[i]));
	return a;
}

json_t *gw_entry_json(const store_gw_entry_t *e)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
			 "id", (json_int_t)e->id, "org_id", (json_int_t)e->org_id, "kind", e->kind, "name", e->name,
			 "stakeholder", e->stakeholder, "country", e->country, "sector", e->sector, "areas",
			 gw_areas_json(e->areas), "description", e->description, "website", e->website, "email",
			 e->email, "phone", e->phone, "pgp", e->pgp, "x509", e->x509, "status", e->status, "created",
			 (json_int_t)e->created, "updated", (json_int_t)e->updated);
}

json_t *gw_res_json(const store_gw_res_t *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I}",
			 "id", (json_int_t)r->id, "org_id", (json_int_t)r->org_id, "type", r->type, "title", r->title,
			 "summary", r->summary, "areas", gw_areas_json(r->areas), "stakeholder", r->stakeholder,
			 "country", r->country, "lang", r->lang, "link", r->link, "file", r->file_name, "file_size",
			 (json_int_t)r->file_size, "tlp", tlp_name(r->tlp), "status", r->status, "created",
			 (json_int_t)r->created, "updated", (json_int_t)r->updated);
}

json_t *gw_news_json(const store_gw_news_t *n)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:I, s:I}", "id", (json_int_t)n->id, "org_id",
			 (json_int_t)n->org_id, "title", n->title, "body", n->body, "areas", gw_areas_json(n->areas),
			 "tlp", tlp_name(n->tlp), "status", n->status, "created", (json_int_t)n->created, "updated",
			 (json_int_t)n->updated);
}

static json_t *counts(const gw_count_t *c, int n)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(o, c[i].name, json_integer(c[i].n));
	return o;
}

json_t *gw_result_json(const gw_result_t *r)
{
	json_t *hits = json_array(), *areas = json_object();
	for (int i = 0; i < r->nhits; i++) {
		const gw_hit_t *h = &r->hits[i];
		json_array_append_new(hits, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:f}", "kind", h->kind,
						      "ref", h->ref, "title", h->title, "url", h->url, "type", h->type,
						      "snippet", h->snippet, "tlp", tlp_name(h->tlp), "updated",
						      (json_int_t)h->updated, "score", h->score));
	}
	for (int i = 0; i < GW_AREAS; i++)
		json_object_set_new(areas, gw_area_names[i], json_integer(r->areas[i]));
	return json_pack("{s:I, s:b, s:o, s:{s:o, s:o, s:o, s:o, s:o, s:o}}", "total", (json_int_t)r->total, "more",
			 r->more, "hits", hits,
			 "facets", "kind", counts(r->kinds, r->nkinds), "area", areas, "stakeholder",
			 counts(r->stakeholders, r->nstakeholders), "type", counts(r->types, r->ntypes), "country",
			 counts(r->countries, r->ncountries), "lang", counts(r->langs, r->nlangs));
}
