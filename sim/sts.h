/*
 * sts.h - the endpoint's STS (signing name "sts"), query protocol only
 * (POST / with a form body Action=GetCallerIdentity&Version=2011-06-15,
 * or the same pairs in a GET query string), answering in XML as AWS does:
 *
 *   <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
 *    <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/qldbtop</Arn>
 *    <UserId>AIDA...</UserId><Account>123456789012</Account></GetCallerIdentityResult>
 *    <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata>
 *   </GetCallerIdentityResponse>
 *
 * It is the first call users make to check their credentials, and tools
 * (the CDK CLI, scripts) make it to learn the account. The caller is the
 * IAM user SIM_STS_USER of the demo account (SIM_DEMO_ACCOUNT); its
 * UserId is derived from the access key id, so it is stable per key.
 * Only GetCallerIdentity is served: any other action is InvalidAction,
 * no action MissingAction (400).
 *
 * Errors: <ErrorResponse xmlns=..><Error><Type>Sender|Receiver</Type>
 * <Code>..</Code><Message>..</Message></Error><RequestId>..</RequestId>
 * </ErrorResponse>, text/xml, with x-amzn-query-error: Code;Type.
 * sim_sts_error gives errors before dispatch (signature: 403
 * SignatureDoesNotMatch, InvalidClientTokenId; size: 413) that shape.
 *
 * Stateless and thread-safe; the request and key id are borrowed.
 */
#ifndef QLDBTOP_SIM_STS_H
#define QLDBTOP_SIM_STS_H

#include "sim/http.h"

#define SIM_STS_USER "qldbtop" /* the IAM user name the demo keys belong to */

/* Answer one STS request from the holder of access key id key_id (the
 * one the request's signature was checked against). */
void sim_sts_handle(const char *key_id, const struct sim_request *req, struct sim_response *res);
/* Pre-dispatch errors (signature, size) in STS's error shape. */
void sim_sts_error(struct sim_response *res, enum sim_error e, const char *msg);

#endif
