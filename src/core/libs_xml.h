/* libs_xml.h — libxml2 through the table libs_xml() fills on first use
 * (see libs.h).  Include this instead of libxml2's headers. */
#ifndef C5_LIBS_XML_H
#define C5_LIBS_XML_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "core/libs.h"

struct libs_xml {
	xmlDocPtr (*ReadMemory)(const char *, int, const char *, const char *, int);
	void (*FreeDoc)(xmlDocPtr);
	xmlNodePtr (*DocGetRootElement)(const xmlDoc *);
	xmlChar *(*GetProp)(const xmlNode *, const xmlChar *);
	xmlChar *(*NodeGetContent)(const xmlNode *);
	long (*GetLineNo)(const xmlNode *);
	void (*SetStructuredErrorFunc)(void *, xmlStructuredErrorFunc);
	xmlFreeFunc Free;
	xmlOutputBufferPtr (*OutputBufferCreateFile)(FILE *, xmlCharEncodingHandlerPtr);
	int (*OutputBufferClose)(xmlOutputBufferPtr);
	xmlTextWriterPtr (*NewTextWriter)(xmlOutputBufferPtr);
	void (*FreeTextWriter)(xmlTextWriterPtr);
	int (*TextWriterSetIndent)(xmlTextWriterPtr, int);
	int (*TextWriterStartDocument)(xmlTextWriterPtr, const char *, const char *, const char *);
	int (*TextWriterEndDocument)(xmlTextWriterPtr);
	int (*TextWriterStartElement)(xmlTextWriterPtr, const xmlChar *);
	int (*TextWriterStartElementNS)(xmlTextWriterPtr, const xmlChar *, const xmlChar *,
					const xmlChar *);
	int (*TextWriterEndElement)(xmlTextWriterPtr);
	int (*TextWriterWriteAttribute)(xmlTextWriterPtr, const xmlChar *, const xmlChar *);
	int (*TextWriterWriteElement)(xmlTextWriterPtr, const xmlChar *, const xmlChar *);
	int (*TextWriterWriteString)(xmlTextWriterPtr, const xmlChar *);
	/* the HTML parser (mail: HTML-only bodies as text) */
	xmlDocPtr (*HtmlReadMemory)(const char *, int, const char *, const char *, int);
};

#undef xmlFree
#define xmlReadMemory (libs_xml()->ReadMemory)
#define xmlFreeDoc (libs_xml()->FreeDoc)
#define xmlDocGetRootElement (libs_xml()->DocGetRootElement)
#define xmlGetProp (libs_xml()->GetProp)
#define xmlNodeGetContent (libs_xml()->NodeGetContent)
#define xmlGetLineNo (libs_xml()->GetLineNo)
#define xmlSetStructuredErrorFunc (libs_xml()->SetStructuredErrorFunc)
#define xmlFree (libs_xml()->Free)
#define xmlOutputBufferCreateFile (libs_xml()->OutputBufferCreateFile)
#define xmlOutputBufferClose (libs_xml()->OutputBufferClose)
#define xmlNewTextWriter (libs_xml()->NewTextWriter)
#define xmlFreeTextWriter (libs_xml()->FreeTextWriter)
#define xmlTextWriterSetIndent (libs_xml()->TextWriterSetIndent)
#define xmlTextWriterStartDocument (libs_xml()->TextWriterStartDocument)
#define xmlTextWriterEndDocument (libs_xml()->TextWriterEndDocument)
#define xmlTextWriterStartElement (libs_xml()->TextWriterStartElement)
#define xmlTextWriterStartElementNS (libs_xml()->TextWriterStartElementNS)
#define xmlTextWriterEndElement (libs_xml()->TextWriterEndElement)
#define xmlTextWriterWriteAttribute (libs_xml()->TextWriterWriteAttribute)
#define xmlTextWriterWriteElement (libs_xml()->TextWriterWriteElement)
#define xmlTextWriterWriteString (libs_xml()->TextWriterWriteString)
#define htmlReadMemory (libs_xml()->HtmlReadMemory)

#endif
