// GET /health: every backing service is asked in parallel, each within HEALTH_TIMEOUT_MS.
// 200 {"status":"ok"} when all answer; 503 {"status":"unavailable","failing":[…]} naming the
// parts that did not. Load balancers take a node out of rotation on 503. A node with the sfu role
// also says whether its SFU runs (`sfu`); an SFU without workers does not make the node
// unhealthy: everything but calls and live still works there.
import type { Sfu } from '../../sfu/sfu.ts';
import { type DependencyName, dependencies, type Platform } from '../platform/index.ts';
import { readInstallation } from '../system/boot.ts';
import { t } from './schema.ts';

interface DependencyState {
  status: 'ok' | 'down';
  backend: string;
  latencyMs: number;
  error?: string;
}

interface SfuState {
  status: 'ok' | 'unavailable';
  workers: number;
  reason?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  node: string;
  installationId: string | null;
  uptimeSeconds: number;
  failing: DependencyName[];
  checks: Record<DependencyName, DependencyState>;
  sfu?: SfuState;
}

const DependencyStateSchema = t.Object({
  status: t.Union([t.Literal('ok'), t.Literal('down')]),
  backend: t.String({ description: 'postgres, pglite, nats, memory, redis, s3, folder…' }),
  latencyMs: t.Integer(),
  error: t.Optional(t.String()),
});

/** HealthReport as the OpenAPI document shows it. */
export const HealthReportSchema = t.Object({
  status: t.Union([t.Literal('ok'), t.Literal('unavailable')]),
  node: t.String({ description: 'NODE_ID' }),
  installationId: t.Union([t.String(), t.Null()]),
  uptimeSeconds: t.Integer(),
  failing: t.Array(t.String(), { description: 'The dependencies that did not answer: database, bus, cache, storage' }),
  checks: t.Record(t.String(), DependencyStateSchema),
  sfu: t.Optional(
    t.Object(
      {
        status: t.Union([t.Literal('ok'), t.Literal('unavailable')]),
        workers: t.Integer({ description: 'mediasoup workers running now' }),
        reason: t.Optional(t.String({ description: 'Why there is none: no worker binary, a failed start, a death' })),
      },
      {
        description:
          "Only on a node with the sfu role: its SFU (calls and live). `unavailable` leaves the node's own `status` as it is, since everything else works",
      },
    ),
  ),
});

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function sfuState(sfu: Sfu): SfuState {
  const availability = sfu.availability();
  return availability.available
    ? { status: 'ok', workers: sfu.workers }
    : { status: 'unavailable', workers: sfu.workers, reason: availability.reason };
}

export async function checkHealth(platform: Platform, startedAt: number, sfu: Sfu | undefined): Promise<HealthReport> {
  const timeoutMs = platform.config.healthTimeoutMs;
  let installationId: string | null = null;
  // The database probe reads the boot record the migrations created, not just `select 1`.
  const probe = async (name: DependencyName, ping: () => Promise<void>) => {
    if (name !== 'database') return ping();
    installationId = (await readInstallation(platform.database.db))?.installationId ?? null;
  };
  const entries = await Promise.all(
    Object.entries(dependencies(platform)).map(async ([key, part]): Promise<[DependencyName, DependencyState]> => {
      const name = key as DependencyName;
      const started = performance.now();
      try {
        await withTimeout(
          probe(name, () => part.ping()),
          timeoutMs,
        );
        return [name, { status: 'ok', backend: part.kind, latencyMs: Math.round(performance.now() - started) }];
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        return [name, { status: 'down', backend: part.kind, latencyMs, error: (error as Error).message }];
      }
    }),
  );
  const checks = Object.fromEntries(entries) as Record<DependencyName, DependencyState>;
  const failing = entries.filter(([, state]) => state.status === 'down').map(([name]) => name);
  return {
    status: failing.length === 0 ? 'ok' : 'unavailable',
    node: platform.config.nodeId,
    installationId,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    failing,
    checks,
    ...(sfu === undefined ? {} : { sfu: sfuState(sfu) }),
  };
}
