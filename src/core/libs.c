/* libs.c — libcurl and libxml2 loaded on first use (see libs.h).  The two
 * tables are written once, under pthread_once, and only read after. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "libs_curl.h"
#include "libs_xml.h"

#define CURL_SONAME "libcurl-gnutls.so.4"
#define XML_SONAME "libxml2.so.2"

static struct libs_curl curl_fns;
static struct libs_xml xml_fns;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT, xml_once = PTHREAD_ONCE_INIT;

static void die(const char *what)
{
	fprintf(stderr, "c5hub: cannot load %s\n", what);
	exit(2);
}

static void *open_lib(const char *soname)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		die(dlerror());
	return h;
}

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if (!p)
		die(dlerror());
	return p;
}

/* dlsym's void * into a function pointer (POSIX allows it; C does not say) */
#define LOAD(h, field, name) *(void **)&(field) = sym(h, name)

static void load_curl(void)
{
	void *h = open_lib(CURL_SONAME);
	struct libs_curl *c = &curl_fns;
	CURLcode (*global_init)(long);
	LOAD(h, global_init, "curl_global_init");
	LOAD(h, c->easy_init, "curl_easy_init");
	LOAD(h, c->easy_cleanup, "curl_easy_cleanup");
	LOAD(h, c->easy_setopt, "curl_easy_setopt");
	LOAD(h, c->easy_perform, "curl_easy_perform");
	LOAD(h, c->easy_getinfo, "curl_easy_getinfo");
	LOAD(h, c->easy_strerror, "curl_easy_strerror");
	LOAD(h, c->easy_escape, "curl_easy_escape");
	LOAD(h, c->free, "curl_free");
	LOAD(h, c->slist_append, "curl_slist_append");
	LOAD(h, c->slist_free_all, "curl_slist_free_all");
	LOAD(h, c->mime_init, "curl_mime_init");
	LOAD(h, c->mime_free, "curl_mime_free");
	LOAD(h, c->mime_addpart, "curl_mime_addpart");
	LOAD(h, c->mime_data, "curl_mime_data");
	LOAD(h, c->mime_type, "curl_mime_type");
	LOAD(h, c->mime_encoder, "curl_mime_encoder");
	LOAD(h, c->mime_filename, "curl_mime_filename");
	/* thread-safe since 7.84 (Debian 12 has 7.88) */
	if (global_init(CURL_GLOBAL_DEFAULT))
		die(CURL_SONAME ": curl_global_init failed");
}

static void load_xml(void)
{
	void *h = open_lib(XML_SONAME);
	struct libs_xml *x = &xml_fns;
	LOAD(h, x->ReadMemory, "xmlReadMemory");
	LOAD(h, x->FreeDoc, "xmlFreeDoc");
	LOAD(h, x->DocGetRootElement, "xmlDocGetRootElement");
	LOAD(h, x->GetProp, "xmlGetProp");
	LOAD(h, x->NodeGetContent, "xmlNodeGetContent");
	LOAD(h, x->GetLineNo, "xmlGetLineNo");
	LOAD(h, x->SetStructuredErrorFunc, "xmlSetStructuredErrorFunc");
	x->Free = *(xmlFreeFunc *)sym(h, "xmlFree"); /* a variable, set to free() */
	LOAD(h, x->OutputBufferCreateFile, "xmlOutputBufferCreateFile");
	LOAD(h, x->OutputBufferClose, "xmlOutputBufferClose");
	LOAD(h, x->NewTextWriter, "xmlNewTextWriter");
	LOAD(h, x->FreeTextWriter, "xmlFreeTextWriter");
	LOAD(h, x->TextWriterSetIndent, "xmlTextWriterSetIndent");
	LOAD(h, x->TextWriterStartDocument, "xmlTextWriterStartDocument");
	LOAD(h, x->TextWriterEndDocument, "xmlTextWriterEndDocument");
	LOAD(h, x->TextWriterStartElement, "xmlTextWriterStartElement");
	LOAD(h, x->TextWriterStartElementNS, "xmlTextWriterStartElementNS");
	LOAD(h, x->TextWriterEndElement, "xmlTextWriterEndElement");
	LOAD(h, x->TextWriterWriteAttribute, "xmlTextWriterWriteAttribute");
	LOAD(h, x->TextWriterWriteElement, "xmlTextWriterWriteElement");
	LOAD(h, x->TextWriterWriteString, "xmlTextWriterWriteString");
	LOAD(h, x->HtmlReadMemory, "htmlReadMemory");
}

const struct libs_curl *libs_curl(void)
{
	pthread_once(&curl_once, load_curl);
	return &curl_fns;
}

const struct libs_xml *libs_xml(void)
{
	pthread_once(&xml_once, load_xml);
	return &xml_fns;
}
