// The one place the Electron host may import the simulator: started when no backend URL is set.
import { join } from 'node:path';
import { startSimulator } from '../sim/server';

/** videoDir: the packaged app ships the clips in its resources folder. */
export async function startEmbeddedBackend(dataDir: string, videoDir?: string): Promise<{ url: string; close(): Promise<void> }> {
  const sim = await startSimulator({ port: 0, dataDir: join(dataDir, 'sim'), demo: true, ...(videoDir ? { videoDir } : {}) });
  return { url: sim.url, close: () => sim.close() };
}
