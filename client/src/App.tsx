// The first screen until the client's own issue builds the real one: it proves that the
// client is built, served by the node, and can reach the node it came from.
import { createResource, For, Show } from 'solid-js';
import './app.css';

interface Health {
  status: string;
  node: string;
  checks: Record<string, { status: string; backend: string }>;
}

async function fetchHealth(): Promise<Health> {
  const response = await fetch('/health', { headers: { accept: 'application/json' } });
  return (await response.json()) as Health;
}

export function App() {
  const [health] = createResource(fetchHealth);
  return (
    <main class="shell">
      <h1>PetAmigos</h1>
      <p>The social network for pets and their people.</p>
      <Show when={health()} fallback={<p aria-live="polite">{health.error ? 'The server cannot be reached.' : 'Connecting…'}</p>}>
        {(report) => (
          <section aria-label="Server status">
            <p data-testid="server-status">
              Server {report().node}: {report().status}
            </p>
            <ul>
              <For each={Object.entries(report().checks)}>
                {([name, check]) => (
                  <li>
                    {name}: {check.backend} ({check.status})
                  </li>
                )}
              </For>
            </ul>
          </section>
        )}
      </Show>
    </main>
  );
}
