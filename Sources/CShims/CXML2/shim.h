/*
 * libxml2 for AWS's XML protocols.
 *
 * Debian builds libxml2 with ICU, so its encoding.h includes the system ICU headers. Any Swift
 * module that also sees full Foundation (which carries its own, different ICU module) then fails
 * to build ("UErrorCode has different definitions"). Lifeboat never touches the ICU-dependent
 * fields (they live inside xmlCharEncodingHandler, used here only through pointers), so the
 * shim reads libxml2's configuration first and switches the ICU include off.
 */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
