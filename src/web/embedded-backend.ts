// The one place the browser-mode host may import the simulator: started when no backend URL is
// configured, so `npm start` works on a fresh machine with nothing else running.
import { join } from 'node:path';
import { startSimulator } from '../sim/server';

export interface EmbeddedBackend {
  url: string;
  close(): Promise<void>;
}

export async function startEmbeddedBackend(dataDir: string, port = 0): Promise<EmbeddedBackend> {
  const sim = await startSimulator({ port, dataDir: join(dataDir, 'sim'), demo: true });
  return { url: sim.url, close: () => sim.close() };
}
