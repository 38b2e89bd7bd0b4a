/* model.c — names and checks for the shared data model (see model.h). */
#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const tlp_names[TLP_NLEVELS] = {
	"clear", "green", "amber", "amber+strict", "red",
};

const char *tlp_name(tlp_t t)
{
	return (unsigned)t < TLP_NLEVELS ? tlp_names[t] : "?";
}

int tlp_parse(const char *s, tlp_t *out)
{
	if (!s)
		return -1;
	if (strncasecmp(s, "tlp:", 4) == 0)
		s += 4;
	for (int i = 0; i < TLP_NLEVELS; i++)
		if (strcasecmp(s, tlp_names[i]) == 0) {
			*out = (tlp_t)i;
			return 0;
		}
	if (strcasecmp(s, "white") == 0) { /* TLP 1.0 name of CLEAR */
		*out = TLP_CLEAR;
		return 0;
	}
	return -1;
}

static const char *const role_names[] = {"reader", "contributor", "analyst", "admin", "peer"};

const char *role_name(role_t r)
{
	return (unsigned)r <= ROLE_PEER ? role_names[r] : "?";
}

int role_parse(const char *s, role_t *out)
{
	for (int i = 0; s && i <= ROLE_PEER; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (role_t)i;
			return 0;
		}
	return -1;
}

const char *org_type_check(const char *s)
{
	static const char *const types[] = {
		"government", "private-sector", "civil-society", "international", "academia",
	};
	for (size_t i = 0; s && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(s, types[i]) == 0)
			return types[i];
	return NULL;
}

/* The Reference Security Incident Taxonomy: class, then its types. */
static const char *const rsit[][9] = {
	{"abusive-content", "spam", "harmful-speech", "violence"},
	{"malicious-code", "infected-system", "c2-server", "malware-distribution",
	 "malware-configuration"},
	{"information-gathering", "scanner", "sniffing", "social-engineering"},
	{"intrusion-attempts", "ids-alert", "brute-force", "exploit"},
	{"intrusions", "privileged-account-compromise", "unprivileged-account-compromise",
	 "application-compromise", "system-compromise", "burglary"},
	{"availability", "dos", "ddos", "misconfiguration", "sabotage", "outage"},
	{"information-content-security", "unauthorised-information-access",
	 "unauthorised-information-modification", "data-loss", "data-leak"},
	{"fraud", "unauthorised-use-of-resources", "copyright", "masquerade", "phishing"},
	{"vulnerable", "weak-crypto", "ddos-amplifier", "potentially-unwanted-accessible",
	 "information-disclosure", "vulnerable-system"},
	{"other", "other", "undetermined"},
	{"test", "test"},
};

int rsit_check(const char *s)
{
	if (s && strcmp(s, RSIT_FALSE_POSITIVE) == 0)
		return 0;
	const char *slash = s ? strchr(s, '/') : NULL;
	if (!slash)
		return -1;
	size_t cl = (size_t)(slash - s);
	for (size_t i = 0; i < sizeof rsit / sizeof rsit[0]; i++) {
		if (strlen(rsit[i][0]) != cl || strncmp(s, rsit[i][0], cl) != 0)
			continue;
		for (size_t j = 1; j < 9 && rsit[i][j]; j++)
			if (strcmp(slash + 1, rsit[i][j]) == 0)
				return 0;
	}
	return -1;
}

int rsit_class_check(const char *s)
{
	for (size_t i = 0; s && i < sizeof rsit / sizeof rsit[0]; i++)
		if (strcmp(s, rsit[i][0]) == 0)
			return 0;
	return -1;
}

char *model_time_fmt(int64_t t, char *buf)
{
	if (t < 0)
		t = 0;
	if (t > MODEL_TIME_MAX)
		t = MODEL_TIME_MAX;
	/* civil from days (H. Hinnant), no timezone state, no strftime */
	int64_t z = t / 86400 + 719468, secs = t % 86400;
	int64_t era = z / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));
	snprintf(buf, MODEL_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
	return buf;
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int model_time_parse(const char *s, int64_t *out)
{
	const char *p = s;
	int Y, M, D, h = 0, m = 0, sec = 0, oh = 0, om = 0, sign = 0;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s) && strlen(s) <= 12) {
		int64_t v = strtoll(s, NULL, 10);
		if (v > MODEL_TIME_MAX)
			return -1;
		*out = v;
		return 0;
	}
	if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' ||
	    digits(&p, 2, &D))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &m))
			return -1;
		if (*p == ':' && (p++, digits(&p, 2, &sec)))
			return -1;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (digits(&p, 2, &om))
				return -1;
		}
	}
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (*p || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || sec > 60 ||
	    oh > 23 || om > 59 || Y < 1970 || Y > 9999 ||
	    (M == 2 && D == 29 && (Y % 4 || (Y % 100 == 0 && Y % 400))))
		return -1;
	/* days from civil (H. Hinnant), no timezone state involved */
	int y = Y - (M <= 2);
	int era = y / 400;
	int yoe = y - era * 400;
	int doy = (153 * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	int64_t v = days * 86400 + h * 3600 + m * 60 + sec - sign * (oh * 3600 + om * 60);
	if (v < 0 || v > MODEL_TIME_MAX) /* an offset past either end */
		return -1;
	*out = v;
	return 0;
}

int model_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > MODEL_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int model_country_ok(const char *s, char out[3])
{
	if (!s || strlen(s) != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
		return 0;
	out[0] = (char)toupper((unsigned char)s[0]);
	out[1] = (char)toupper((unsigned char)s[1]);
	out[2] = '\0';
	return 1;
}

int model_duration_parse(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	int64_t mul = !*end ? 1 : !strcmp(end, "s") ? 1 : !strcmp(end, "m") ? 60
		      : !strcmp(end, "h") ? 3600 : !strcmp(end, "d") ? 86400 : 0;
	if (end == s || v < 0 || v > 366LL * 86400 || !mul)
		return -1;
	*out = v * mul;
	return 0;
}
