// QldbAcidStack: ../cloudformation.yaml as a CDK stack. L1 (Cfn*)
// constructs throughout, so the synthesized template has the YAML's
// logical ids, properties and intrinsic functions one for one (the
// integration test tests/integration/cfn_cdk.sh deploys both and compares
// their outputs).
import {
  CfnCondition,
  CfnDeletionPolicy,
  CfnOutput,
  CfnParameter,
  DefaultStackSynthesizer,
  Fn,
  Stack,
  StackProps,
  Validations,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_qldb as qldb,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

// QLDB assumes both roles.
const QLDB_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'qldb.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
};

export class QldbAcidStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      // No BootstrapVersion parameter (an SSM parameter) and no
      // CheckBootstrapVersion rule: the stack has no assets, so it needs
      // nothing from the bootstrap stack, and the template then deploys
      // where there is no SSM (qldbtop serve) as well as on AWS.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      ...props,
    });

    Validations.of(this).acknowledge(
      {
        id: 'CloudFormation-Validate::E3710',
        reason:
          'QLDB is shut down on AWS; the recipe deploys to a QLDB-compatible endpoint ' +
          '(qldbtop serve)',
      },
      {
        id: 'CloudFormation-Validate::W3011',
        reason:
          'as in ../cloudformation.yaml: DeletionPolicy Retain keeps the export bucket when ' +
          'the stack goes; the stack never replaces it',
      },
    );

    // ---- parameters ----
    const ledgerName = new CfnParameter(this, 'LedgerName', {
      type: 'String',
      default: 'financial-ledger',
      description: 'Name for the QLDB ledger',
    });
    const environment = new CfnParameter(this, 'Environment', {
      type: 'String',
      default: 'dev',
      allowedValues: ['dev', 'test', 'prod', 'production'],
      description: 'Deployment environment',
    });
    const deletionProtection = new CfnParameter(this, 'DeletionProtection', {
      type: 'String',
      default: 'true',
      allowedValues: ['true', 'false'],
      description: 'Enable deletion protection on the ledger',
    });
    const shardCount = new CfnParameter(this, 'KinesisShardCount', {
      type: 'Number',
      default: 1,
      minValue: 1,
      maxValue: 10,
      description: 'Number of Kinesis shards for journal streaming',
    });
    new CfnParameter(this, 'S3BucketPrefix', {
      type: 'String',
      default: 'exports',
      description: 'Prefix for the S3 export bucket name',
    });

    // ---- conditions ----
    new CfnCondition(this, 'IsProduction', {
      expression: Fn.conditionOr(
        Fn.conditionEquals(environment.valueAsString, 'prod'),
        Fn.conditionEquals(environment.valueAsString, 'production'),
      ),
    });
    new CfnCondition(this, 'ProtectLedger', {
      expression: Fn.conditionEquals(deletionProtection.valueAsString, 'true'),
    });

    const envTag = [{ key: 'Environment', value: environment.valueAsString }];

    // ---- resources ----
    const ledger = new qldb.CfnLedger(this, 'QLDBLedger', {
      name: ledgerName.valueAsString,
      permissionsMode: 'STANDARD',
      deletionProtection: Fn.conditionIf('ProtectLedger', true, false),
      tags: [...envTag, { key: 'Purpose', value: 'ACID-compliant ledger' }],
    });

    const journalStream = new kinesis.CfnStream(this, 'JournalKinesisStream', {
      name: Fn.sub('${LedgerName}-journal'),
      shardCount: shardCount.valueAsNumber,
      retentionPeriodHours: Fn.conditionIf('IsProduction', 168, 24) as unknown as number,
      streamEncryption: { encryptionType: 'KMS', keyId: 'alias/aws/kinesis' },
      tags: envTag,
    });

    const exportBucket = new s3.CfnBucket(this, 'ExportBucket', {
      bucketName: Fn.sub('${LedgerName}-${S3BucketPrefix}-${AWS::AccountId}'),
      bucketEncryption: {
        serverSideEncryptionConfiguration: [
          { serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
        ],
      },
      publicAccessBlockConfiguration: {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      versioningConfiguration: { status: 'Enabled' },
      tags: envTag,
    });
    // journal exports are the audit archive: kept when the stack goes
    exportBucket.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;

    const streamRole = new iam.CfnRole(this, 'QLDBStreamRole', {
      assumeRolePolicyDocument: QLDB_TRUST,
      policies: [
        {
          policyName: 'QLDBKinesisStreamPolicy',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'kinesis:PutRecord',
                  'kinesis:PutRecords',
                  'kinesis:DescribeStream',
                  'kinesis:ListShards',
                ],
                Resource: journalStream.attrArn,
              },
            ],
          },
        },
      ],
    });

    const exportRole = new iam.CfnRole(this, 'QLDBExportRole', {
      assumeRolePolicyDocument: QLDB_TRUST,
      policies: [
        {
          policyName: 'QLDBS3ExportPolicy',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetBucketLocation'],
                Resource: [exportBucket.attrArn, Fn.join('', [exportBucket.attrArn, '/*'])],
              },
            ],
          },
        },
      ],
    });

    const ledgerStream = new qldb.CfnStream(this, 'LedgerJournalStream', {
      ledgerName: ledger.ref,
      streamName: Fn.sub('${LedgerName}-stack-stream'),
      roleArn: streamRole.attrArn,
      inclusiveStartTime: '2020-01-01T00:00:00Z',
      kinesisConfiguration: { streamArn: journalStream.attrArn, aggregationEnabled: true },
    });
    ledgerStream.addResourceDependency(streamRole);

    // ---- outputs (ids end in Output where a parameter has the name;
    // the logical ids are the YAML's) ----
    const output = (name: string, description: string, value: string, exportName?: string) =>
      new CfnOutput(this, `${name}Output`, { description, value, exportName }).overrideLogicalId(
        name,
      );
    output(
      'LedgerName',
      'Name of the QLDB ledger',
      ledger.ref,
      Fn.sub('${AWS::StackName}-LedgerName'),
    );
    output(
      'LedgerArn',
      'ARN of the QLDB ledger',
      Fn.sub('arn:${AWS::Partition}:qldb:${AWS::Region}:${AWS::AccountId}:ledger/${QLDBLedger}'),
    );
    output(
      'StreamRoleArn',
      'IAM role QLDB assumes to stream the journal to Kinesis',
      streamRole.attrArn,
    );
    output('ExportRoleArn', 'IAM role QLDB assumes to export the journal to S3', exportRole.attrArn);
    output('KinesisStreamName', 'Kinesis stream receiving the journal', journalStream.ref);
    output('ExportBucketName', 'S3 bucket for journal exports', exportBucket.ref);
  }
}
