/* libs_curl.h — libcurl through the table libs_curl() fills on first use
 * (see libs.h).  Include this instead of <curl/curl.h>. */
#ifndef C5_LIBS_CURL_H
#define C5_LIBS_CURL_H

#define CURL_DISABLE_TYPECHECK /* its checking macros would call the symbols directly */
#include <curl/curl.h>

#include "core/libs.h"

struct libs_curl {
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	curl_mime *(*mime_init)(CURL *);
	void (*mime_free)(curl_mime *);
	curl_mimepart *(*mime_addpart)(curl_mime *);
	CURLcode (*mime_data)(curl_mimepart *, const char *, size_t);
	CURLcode (*mime_type)(curl_mimepart *, const char *);
	CURLcode (*mime_encoder)(curl_mimepart *, const char *);
	CURLcode (*mime_filename)(curl_mimepart *, const char *);
};

#define curl_easy_init (libs_curl()->easy_init)
#define curl_easy_cleanup (libs_curl()->easy_cleanup)
#undef curl_easy_setopt /* curl.h checks the argument count with a macro */
#undef curl_easy_getinfo
#define curl_easy_setopt (libs_curl()->easy_setopt)
#define curl_easy_perform (libs_curl()->easy_perform)
#define curl_easy_getinfo (libs_curl()->easy_getinfo)
#define curl_easy_strerror (libs_curl()->easy_strerror)
#define curl_easy_escape (libs_curl()->easy_escape)
#define curl_free (libs_curl()->free)
#define curl_slist_append (libs_curl()->slist_append)
#define curl_slist_free_all (libs_curl()->slist_free_all)
#define curl_mime_init (libs_curl()->mime_init)
#define curl_mime_free (libs_curl()->mime_free)
#define curl_mime_addpart (libs_curl()->mime_addpart)
#define curl_mime_data (libs_curl()->mime_data)
#define curl_mime_type (libs_curl()->mime_type)
#define curl_mime_encoder (libs_curl()->mime_encoder)
#define curl_mime_filename (libs_curl()->mime_filename)

#endif
