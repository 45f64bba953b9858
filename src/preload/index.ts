// Exposes the console API contract as window.kuzet — one function per contract method and `on` for
// push events — and nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_PUSH_CHANNEL, METHOD_NAMES, PUSH_EVENT_NAMES } from '../shared/api-methods';

let nextId = 1;
const api: Record<string, unknown> = {};
for (const method of METHOD_NAMES) {
  api[method] = async (input: unknown) => {
    const response = (await ipcRenderer.invoke(IPC_CALL_CHANNEL, { id: nextId++, method, input })) as { result: unknown } | null;
    return response?.result ?? { ok: false, error: { code: 'internal', message: 'no response from the console host' } };
  };
}
api.on = (event: string, listener: (payload: unknown) => void) => {
  if (!(PUSH_EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`unknown push event ${event}`);
  const handler = (_e: IpcRendererEvent, frame: { event: string; payload: unknown }) => {
    if (frame.event === event) listener(frame.payload);
  };
  ipcRenderer.on(IPC_PUSH_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(IPC_PUSH_CHANNEL, handler);
  };
};

contextBridge.exposeInMainWorld('kuzet', api);
