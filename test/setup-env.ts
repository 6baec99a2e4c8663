import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Tests never reach AWS: dummy credentials and a region keep the SDK's providers from looking further.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// The embedded default keeps state in .lifeboat/; each test file gets its own scratch folder instead.
process.env.LIFEBOAT_STATE_DIR = mkdtempSync(join(tmpdir(), 'lifeboat-test-state-'));
