/* libs.h — the two libraries loaded when first used, not at start: libcurl
 * (GnuTLS build) and libxml2.  With their dependencies (Kerberos, LDAP,
 * SSH, OpenSSL, ICU and the C++ runtime: 25 of the binary's 42 shared
 * objects) they took 11 of the 19 ms every command spent starting, and most
 * commands never use them.
 *
 * Code that uses them includes "core/libs_curl.h" or "core/libs_xml.h"
 * instead of the libraries' own headers: the usual names then call through
 * a table filled on first use (dlopen/dlsym, once per process, thread-safe).
 * A library that cannot be loaded is a broken installation, as a missing
 * one was at start before: the process stops with the reason. */
#ifndef C5_LIBS_H
#define C5_LIBS_H

/* Load libcurl and call curl_global_init; load libxml2.  Each returns its
 * function table (see libs_curl.h, libs_xml.h); never NULL. */
const struct libs_curl *libs_curl(void);
const struct libs_xml *libs_xml(void);

#endif
