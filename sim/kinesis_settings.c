/*
 * kinesis_settings.c - the endpoint's Kinesis operations that change a
 * stream's settings (see kinesis_call.h): retention
 * (Increase/DecreaseStreamRetentionPeriod, 24..8760 hours, with AWS's
 * rules), encryption (Start/StopStreamEncryption) and tags
 * (Add/List/RemoveTagsFromStream, 10 per call and 50 per stream).
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sim/kinesis_call.h"
#include "sim/kinesis_store.h"

/* The stream, which must be ACTIVE to change its settings (AWS makes it
 * UPDATING for a while; this endpoint applies a change at once and so
 * stays ACTIVE). */
static struct sim_kinesis_stream *find_updatable(struct kinesis_call *c, const char *name,
						 int64_t now)
{
	struct sim_kinesis_stream *s = kinesis_find_stream(c, name);
	enum sim_kinesis_status st = s ? sim_kinesis_store_status(&c->k->st, s, now) : 0;
	if (s && st != SIM_KINESIS_ACTIVE) {
		kinesis_err(c->res, KE_IN_USE,
			    "Stream %s under account " KINESIS_ACCOUNT
			    " not ACTIVE, instead in state %s",
			    name, sim_kinesis_status_name(st));
		return NULL;
	}
	return s;
}

/* Increase (longer) or Decrease (shorter) StreamRetentionPeriod. */
static void retention_change(struct kinesis_call *c, bool longer)
{
	const char *name;
	int64_t hours = 0;
	if (kinesis_stream_ident(c, &name) < 0)
		return;
	int has = kinesis_get_int(c, "RetentionPeriodHours", 1, INT32_MAX, &hours);
	if (has <= 0) {
		if (has == 0)
			kinesis_not_null(c, "RetentionPeriodHours");
		return;
	}
	if (hours < SIM_KINESIS_RETENTION_MIN) {
		kinesis_err(
			c->res, KE_INVALID_ARGUMENT,
			"Minimum allowed retention period is %d hours. Requested retention period "
			"(%" PRId64 " hours) is too short.",
			SIM_KINESIS_RETENTION_MIN, hours);
		return;
	}
	if (hours > SIM_KINESIS_RETENTION_MAX) {
		kinesis_err(
			c->res, KE_INVALID_ARGUMENT,
			"Maximum allowed retention period is %d hours. Requested retention period "
			"(%" PRId64 " hours) is too long.",
			SIM_KINESIS_RETENTION_MAX, hours);
		return;
	}
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = find_updatable(c, name, now);
	if (s && (longer ? hours < s->retention_hours : hours > s->retention_hours))
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "Requested retention period (%" PRId64
			    " hours) for stream %s can not be %s "
			    "than existing retention period (%d hours). Use %s API.",
			    hours, name, longer ? "shorter" : "longer", s->retention_hours,
			    longer ? "DecreaseRetentionPeriod" : "IncreaseRetentionPeriod");
	else if (s)
		s->retention_hours = (int)hours;
	kinesis_unlock(c->k);
	if (!c->res->error_code)
		kinesis_respond(c->res, cJSON_CreateObject());
}

void kinesis_op_increase_retention(struct kinesis_call *c)
{
	retention_change(c, true);
}

void kinesis_op_decrease_retention(struct kinesis_call *c)
{
	retention_change(c, false);
}

/* A KMS key as StartStreamEncryption takes it: an alias ("alias/NAME"),
 * a key or alias ARN, or a key id (a UUID). The endpoint has no KMS, so
 * any key of those forms exists. */
static bool key_id_valid(const char *id)
{
	if (strncmp(id, "alias/", 6) == 0)
		return id[6] != '\0' && strspn(id + 6, KINESIS_NAME_CHARS "/") == strlen(id + 6);
	if (strncmp(id, "arn:aws", 7) == 0)
		return strstr(id, ":kms:") && (strstr(id, ":key/") || strstr(id, ":alias/"));
	return strlen(id) == 36 && strspn(id, "0123456789abcdefABCDEF-") == 36;
}

/* Start (KMS with KeyId) or stop StreamEncryption; both take both members. */
static void encryption_change(struct kinesis_call *c, bool start)
{
	const char *name, *type = NULL, *key = NULL;
	if (kinesis_stream_ident(c, &name) < 0 ||
	    kinesis_get_text(c, c->in, "EncryptionType", true, 1, 16, NULL, &type) < 0 ||
	    kinesis_get_text(c, c->in, "KeyId", true, 1, SIM_KINESIS_KEY_ID_MAX, NULL, &key) < 0)
		return;
	if (strcmp(type, "KMS") != 0 && strcmp(type, "NONE") != 0) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value '%s' at 'encryptionType' failed to "
			    "satisfy constraint: Member must satisfy enum value set: [KMS, NONE]",
			    type);
		return;
	}
	if (strcmp(type, "KMS") != 0) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "Encryption type NONE is not supported by %sStreamEncryption; use KMS.",
			    start ? "Start" : "Stop");
		return;
	}
	if (!key_id_valid(key)) {
		kinesis_err(c->res, KE_KMS_NOT_FOUND,
			    "Key '%.200s' not found: give an alias (alias/NAME), a key ARN or a "
			    "key id.",
			    key);
		return;
	}
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = find_updatable(c, name, now);
	if (s && sim_kinesis_stream_encrypt(s, start ? key : NULL) != SIM_KINESIS_OK)
		kinesis_err(c->res, KE_INTERNAL, "out of memory");
	kinesis_unlock(c->k);
	if (!c->res->error_code)
		kinesis_respond(c->res, cJSON_CreateObject());
}

void kinesis_op_start_encryption(struct kinesis_call *c)
{
	encryption_change(c, true);
}

void kinesis_op_stop_encryption(struct kinesis_call *c)
{
	encryption_change(c, false);
}

/* Tag keys: Unicode letters, digits, white space and _ . / = + - % @ :
 * (bytes >= 0x80 pass as the letters of UTF-8 text). */
static bool tag_key_valid(const char *k)
{
	for (; *k; k++)
		if ((unsigned char)*k < 0x80 && !isalnum((unsigned char)*k) &&
		    !strchr(" _./=+-%@:", *k))
			return false;
	return true;
}

void kinesis_op_add_tags(struct kinesis_call *c)
{
	const char *name;
	if (kinesis_stream_ident(c, &name) < 0)
		return;
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(c->in, "Tags");
	if (!tags || cJSON_IsNull(tags)) {
		kinesis_not_null(c, "Tags");
		return;
	}
	if (!cJSON_IsObject(tags)) {
		kinesis_err(c->res, KE_SERIALIZATION, "Tags: expected a map of strings");
		return;
	}
	int n = cJSON_GetArraySize(tags);
	if (n < 1 || n > 10) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value at 'tags' failed to satisfy "
			    "constraint: "
			    "Member must have length %s",
			    n < 1 ? "greater than or equal to 1" : "less than or equal to 10");
		return;
	}
	const cJSON *t;
	cJSON_ArrayForEach(t, tags)
	{
		size_t kl = strlen(t->string);
		if (!cJSON_IsString(t)) {
			kinesis_err(c->res, KE_SERIALIZATION, "Tags.%.128s: expected a string",
				    t->string);
			return;
		}
		if (kl < 1 || kl > SIM_KINESIS_TAG_KEY_MAX ||
		    strlen(t->valuestring) > SIM_KINESIS_TAG_VALUE_MAX) {
			kinesis_err(
				c->res, KE_VALIDATION,
				"1 validation error detected: Value at 'tags' failed to satisfy "
				"constraint: keys must have length 1..%d and values at most %d",
				SIM_KINESIS_TAG_KEY_MAX, SIM_KINESIS_TAG_VALUE_MAX);
			return;
		}
		if (!tag_key_valid(t->string) || !tag_key_valid(t->valuestring)) {
			kinesis_err(
				c->res, KE_INVALID_ARGUMENT,
				"Some tags contain invalid characters. Valid characters: Unicode "
				"letters, digits, white space, _ . / = + - %% @.");
			return;
		}
	}
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = find_updatable(c, name, now);
	size_t fresh = 0;
	for (t = s ? tags->child : NULL; t; t = t->next)
		fresh += !sim_kinesis_stream_tag_find(s, t->string);
	if (s && s->n_tags + fresh > SIM_KINESIS_TAGS_MAX) {
		kinesis_err(c->res, KE_INVALID_ARGUMENT,
			    "Failed to add tags to stream %s under account " KINESIS_ACCOUNT
			    " because a given stream cannot have more than %d tags.",
			    name, SIM_KINESIS_TAGS_MAX);
		s = NULL;
	}
	/* all or none: the count was checked, so only memory can fail */
	for (t = s ? tags->child : NULL; t && !c->res->error_code; t = t->next)
		if (sim_kinesis_stream_tag(s, t->string, t->valuestring) != SIM_KINESIS_OK)
			kinesis_err(c->res, KE_INTERNAL, "out of memory");
	kinesis_unlock(c->k);
	if (!c->res->error_code)
		kinesis_respond(c->res, cJSON_CreateObject());
}

void kinesis_op_list_tags(struct kinesis_call *c)
{
	const char *name, *start = NULL;
	int64_t limit = SIM_KINESIS_TAGS_MAX;
	if (kinesis_stream_ident(c, &name) < 0 ||
	    kinesis_get_text(c, c->in, "ExclusiveStartTagKey", false, 1, SIM_KINESIS_TAG_KEY_MAX,
			     NULL, &start) < 0 ||
	    kinesis_get_int(c, "Limit", 1, SIM_KINESIS_TAGS_MAX, &limit) < 0)
		return;
	kinesis_lock(c->k);
	const struct sim_kinesis_stream *s = kinesis_find_stream(c, name);
	cJSON *out = NULL;
	if (s) {
		out = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(out, "Tags");
		size_t i = 0, taken = 0;
		while (start && i < s->n_tags && strcmp(s->tags[i].key, start) <= 0)
			i++;
		for (; i < s->n_tags && (int64_t)taken < limit; i++, taken++) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "Key", s->tags[i].key);
			cJSON_AddStringToObject(o, "Value", s->tags[i].value);
			cJSON_AddItemToArray(list, o);
		}
		cJSON_AddBoolToObject(out, "HasMoreTags", i < s->n_tags);
	}
	kinesis_unlock(c->k);
	if (out)
		kinesis_respond(c->res, out);
}

void kinesis_op_remove_tags(struct kinesis_call *c)
{
	const char *name;
	if (kinesis_stream_ident(c, &name) < 0)
		return;
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(c->in, "TagKeys");
	if (!keys || cJSON_IsNull(keys)) {
		kinesis_not_null(c, "TagKeys");
		return;
	}
	if (!cJSON_IsArray(keys)) {
		kinesis_err(c->res, KE_SERIALIZATION, "TagKeys: expected a list of strings");
		return;
	}
	int n = cJSON_GetArraySize(keys);
	if (n < 1 || n > SIM_KINESIS_TAGS_MAX) {
		kinesis_err(c->res, KE_VALIDATION,
			    "1 validation error detected: Value at 'tagKeys' failed to satisfy "
			    "constraint: Member must have length %s",
			    n < 1 ? "greater than or equal to 1" : "less than or equal to 50");
		return;
	}
	const cJSON *k;
	cJSON_ArrayForEach(k, keys)
	{
		if (!cJSON_IsString(k)) {
			kinesis_err(c->res, KE_SERIALIZATION,
				    "TagKeys: expected a list of strings");
			return;
		}
		size_t kl = strlen(k->valuestring);
		if (kl < 1 || kl > SIM_KINESIS_TAG_KEY_MAX) {
			kinesis_err(
				c->res, KE_VALIDATION,
				"1 validation error detected: Value at 'tagKeys' failed to satisfy "
				"constraint: Member must have length between 1 and %d",
				SIM_KINESIS_TAG_KEY_MAX);
			return;
		}
	}
	int64_t now = kinesis_lock(c->k);
	struct sim_kinesis_stream *s = find_updatable(c, name, now);
	for (k = s ? keys->child : NULL; k; k = k->next)
		sim_kinesis_stream_untag(s, k->valuestring);
	kinesis_unlock(c->k);
	if (!c->res->error_code)
		kinesis_respond(c->res, cJSON_CreateObject());
}
