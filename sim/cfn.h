/*
 * cfn.h - the endpoint's CloudFormation (signing name "cloudformation"),
 * query protocol (POST /, form body Action=...&Version=2010-05-15) with
 * XML answers: ValidateTemplate, CreateStack, DescribeStacks,
 * DescribeStackEvents, DescribeStackResources, ListStacks, DeleteStack.
 * Templates are read and evaluated by sim/cfn_template.h.
 *
 * A stack's resources are made through the endpoint's own services'
 * handlers (as sim/recipe.c does), so they are validated as any client's
 * requests and really exist: AWS::QLDB::Ledger (QLDB CreateLedger),
 * AWS::QLDB::Stream (StreamJournalToKinesis), AWS::Kinesis::Stream
 * (CreateStream, then its RetentionPeriodHours, StreamEncryption and Tags
 * by Increase/DecreaseStreamRetentionPeriod, StartStreamEncryption and
 * AddTagsToStream), AWS::S3::Bucket. AWS::IAM::Role is recorded only (an ARN, no IAM
 * service: the endpoint does not check roles), as is AWS::CDK::Metadata
 * (a CDK app's usage statistics; nothing on AWS either). Creation runs inside the
 * CreateStack request, so the stack is CREATE_COMPLETE, or (a resource
 * failed) ROLLBACK_COMPLETE with what was made deleted again, when the
 * answer leaves. The endpoint's demo ledger (SIM_DEMO_LEDGER, which the
 * recipe names) is adopted by a stack that declares it rather than
 * refused as existing, so the recipe's quick start runs verbatim; it then
 * takes the template's deletion protection and Tags (a tag it had with
 * another value is replaced, its other tags are kept).
 * DeleteStack honours DeletionPolicy Retain and the ledger's deletion
 * protection (the resource and the stack end DELETE_FAILED, as on AWS).
 *
 * Errors: <ErrorResponse><Error><Type>Sender</Type><Code>ValidationError
 * </Code><Message>..</Message></Error><RequestId>..</RequestId>
 * </ErrorResponse>, text/xml.
 *
 * Thread-safe (one lock). Ownership: sim_cfn_new borrows the services
 * (they outlive it); sim_cfn_free releases the stacks.
 */
#ifndef QLDBTOP_SIM_CFN_H
#define QLDBTOP_SIM_CFN_H

#include "sim/http.h"
#include "sim/kinesis.h"
#include "sim/qldb_api.h"
#include "sim/s3.h"

struct sim_cfn;
struct sim_cfn *sim_cfn_new(struct sim_qldb *q, struct sim_kinesis *k, struct sim_s3 *s3);
void sim_cfn_free(struct sim_cfn *c);
void sim_cfn_handle(struct sim_cfn *c, const struct sim_request *req, struct sim_response *res);
/* Pre-dispatch errors (signature, size) in CloudFormation's shape. */
void sim_cfn_error(struct sim_response *res, enum sim_error e, const char *msg);

#endif
