/*
 * The Act's s.2 in words referrers use.  Personally connected: married or
 * civil partners, engaged (or were), in an intimate personal relationship
 * (or were), each a parent of the same child, or relatives (the Family
 * Law Act 1996 s.63 list: parents, children, siblings, grandparents,
 * grandchildren, aunts, uncles, nieces, nephews, cousins, step- and
 * half- relations and in-laws).
 *
 * A label is compared in a normal form: ASCII letters lower-cased, every
 * other ASCII byte (spaces, hyphens, apostrophes) dropped, UTF-8 bytes
 * kept, so "Ex-Partner", "ex partner" and "expartner" are one label.
 * Qualifiers that do not change the answer ("ex", "former", "estranged",
 * "step", "half", "great", "her", "his", ...) are peeled off the front
 * until a known word remains.  Friends, carers and housemates are left
 * unknown on purpose: whether they are connected depends on facts a
 * label does not carry.
 */
#include "core/relationship.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/referral.h"

static const char *const connected[] = {
	/* Partners, present or past (the prefixes make them past). */
	"partner", "intimatepartner", "civilpartner", "spouse", "husband",
	"wife", "boyfriend", "girlfriend", "fiance", "fiancee",
	"fianc\xc3\xa9", "fianc\xc3\xa9" "e", "cohabitee", "cohabitant",
	"cohabitingpartner", "lover",
	/* Relatives. */
	"family", "familymember", "relative", "parent", "mother", "father",
	"mum", "mom", "mam", "dad", "son", "daughter", "child", "adultchild",
	"brother", "sister", "sibling", "grandparent", "grandmother",
	"grandfather", "grandson", "granddaughter", "grandchild", "uncle",
	"aunt", "auntie", "nephew", "niece", "cousin", "inlaw",
	/* A child together. */
	"coparent",
	NULL
};

static const char *const not_connected[] = {
	"stranger", "acquaintance", "neighbour", "neighbor", "colleague",
	"workcolleague", "coworker", "employer", "employee", "landlord",
	"landlady", "tenant", "customer", "client",
	NULL
};

/* Peeled off the front, one at a time. */
static const char *const prefixes[] = {
	"ex", "former", "estranged", "separated", "previous", "step", "half",
	"great", "her", "his", "their", "my", "the", "victims",
	NULL
};

/* Parents of a child in common: "father of her child", "baby's mum". */
static const char *const parent_words[] = {
	"parent", "father", "mother", "dad", "mum", "mom", "mam", NULL
};

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static bool
starts_with_any(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strncmp(s, *list, strlen(*list)) == 0)
			return true;
	return false;
}

static bool
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n > m && strcmp(s + n - m, end) == 0;
}

static bool
ends_with_any(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (ends_with(s, *list))
			return true;
	return false;
}

static bool
co_parent(const char *s)
{
	if (starts_with_any(s, parent_words) &&
	    (strstr(s, "child") != NULL || strstr(s, "baby") != NULL))
		return true;
	return (strncmp(s, "child", 5) == 0 || strncmp(s, "baby", 4) == 0) &&
	    ends_with_any(s, parent_words);
}

static enum relationship_kind
classify(const char *s)
{
	enum relationship_kind k;

	if (*s == '\0')
		return RELATIONSHIP_UNKNOWN;
	if (in_list(s, connected) || co_parent(s) || ends_with(s, "inlaw"))
		return RELATIONSHIP_CONNECTED;
	if (in_list(s, not_connected))
		return RELATIONSHIP_NOT_CONNECTED;
	/* Each step shortens s, so this ends. */
	for (const char *const *p = prefixes; *p != NULL; p++) {
		size_t n = strlen(*p);

		if (strncmp(s, *p, n) == 0 &&
		    (k = classify(s + n)) != RELATIONSHIP_UNKNOWN)
			return k;
	}
	return RELATIONSHIP_UNKNOWN;
}

enum relationship_kind
relationship_classify(const char *label)
{
	char	 norm[REFERRAL_LABEL_MAX + 1];
	size_t	 n = 0;

	if (label == NULL)
		return RELATIONSHIP_UNKNOWN;
	for (const unsigned char *p = (const unsigned char *)label;
	    *p != '\0'; p++) {
		if (n == sizeof(norm) - 1)
			return RELATIONSHIP_UNKNOWN;	/* longer than any label */
		if (*p >= 'A' && *p <= 'Z')
			norm[n++] = (char)(*p - 'A' + 'a');
		else if ((*p >= 'a' && *p <= 'z') || *p >= 0x80)
			norm[n++] = (char)*p;
	}
	norm[n] = '\0';
	return classify(norm);
}
