/* gw_atom.c — the one Atom (RFC 4287) writer: the gateway's feeds of
 * resources, news and advisories are all written here (see gw.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gw/gw.h"

/* Append s escaped for XML text and attributes; characters XML 1.0 forbids
 * (controls other than tab and line ends) are dropped. */
static void esc(util_buf_t *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '<': util_buf_add(b, "&lt;", 4); break;
		case '>': util_buf_add(b, "&gt;", 4); break;
		case '&': util_buf_add(b, "&amp;", 5); break;
		case '"': util_buf_add(b, "&quot;", 6); break;
		case '\'': util_buf_add(b, "&#39;", 5); break;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
				util_buf_add(b, (const char *)p, 1);
		}
	}
}

static void when(util_buf_t *b, int64_t t)
{
	char s[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	util_buf_add(b, s, strlen(s));
}

void gw_atom(util_buf_t *out, const char *id, const char *title, const char *self, const char *alternate,
	     int64_t updated, const gw_atom_entry_t *e, size_t n)
{
	if (!updated)
		updated = (int64_t)time(NULL);
	util_buf_printf(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			     "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>");
	esc(out, id);
	util_buf_printf(out, "</id>\n<title>");
	esc(out, title);
	util_buf_printf(out, "</title>\n<updated>");
	when(out, updated);
	util_buf_printf(out, "</updated>\n<author><name>c5hub</name></author>\n<link rel=\"self\" "
			     "type=\"application/atom+xml\" href=\"");
	esc(out, self);
	util_buf_printf(out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	esc(out, alternate);
	util_buf_printf(out, "\"/>\n");
	for (size_t i = 0; i < n; i++) {
		util_buf_printf(out, "<entry>\n<id>");
		esc(out, e[i].id);
		util_buf_printf(out, "</id>\n<title type=\"text\">");
		esc(out, e[i].title);
		util_buf_printf(out, "</title>\n<updated>");
		when(out, e[i].updated);
		util_buf_printf(out, "</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
		esc(out, e[i].link);
		util_buf_printf(out, "\"/>\n");
		for (int c = 0; c < GW_AREAS && e[i].categories[c]; c++) {
			util_buf_printf(out, "<category term=\"");
			esc(out, e[i].categories[c]);
			util_buf_printf(out, "\"/>\n");
		}
		if (e[i].summary && *e[i].summary) {
			util_buf_printf(out, "<summary type=\"text\">");
			esc(out, e[i].summary);
			util_buf_printf(out, "</summary>\n");
		}
		util_buf_printf(out, "</entry>\n");
	}
	util_buf_printf(out, "</feed>\n");
}
