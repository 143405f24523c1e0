// A local S3-compatible server (s3rver) for the storage contract tests. It speaks the S3 HTTP
// API that the `minio` client uses in production, but does not check signatures and has no
// multipart upload (see ../shared/notes/dependencies-offline.md).
import S3rver from 's3rver';
import type { S3Config } from '../../server/platform/config.ts';
import { createTempDir } from './services.ts';

export interface S3Server {
  readonly config: S3Config;
  close(): Promise<void>;
}

export async function startS3Server(bucket: string): Promise<S3Server> {
  const dir = createTempDir('s3');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir.path });
  const address = (await server.run()) as { port: number };
  return {
    config: {
      endpoint: new URL(`http://127.0.0.1:${address.port}`),
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      bucket,
      region: 'us-east-1',
    },
    async close() {
      await server.close();
      dir.remove();
    },
  };
}
