#!/usr/bin/env node
// The recipe's CDK app: one stack, QldbAcidStack, the same resources,
// parameters, conditions and outputs as ../cloudformation.yaml.
//   npx cdk synth                 the template (cdk.out/QldbAcidStack.template.json)
//   npx cdk deploy --parameters LedgerName=financial-ledger
import { App } from 'aws-cdk-lib';
import { QldbAcidStack } from '../lib/qldb-acid-stack';

const app = new App();
new QldbAcidStack(app, 'QldbAcidStack', {
  description:
    'ACID-compliant distributed database with Amazon QLDB: a ledger, its journal streamed ' +
    'to Kinesis, and an encrypted S3 bucket for journal exports (recipe "ACID-Compliant ' +
    'Distributed Databases with Amazon QLDB").',
});
