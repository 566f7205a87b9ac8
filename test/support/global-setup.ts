import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The integration tests need moto, cfn-lint and the AWS CLI: install them or fail saying how. */
export default function globalSetup(): void {
  execFileSync('bash', [join(__dirname, '..', '..', 'build-tools', 'ensure-python-tools.sh')], { stdio: 'inherit' });
}
