// Whether an operator window is live (initial alerts loaded, catalog settled, the backend said
// hello), published as the page's readiness attribute that end-to-end tests wait on. One rule for
// the operator frame and the detached wall window.
import { useEffect } from 'react';
import { setReadiness } from '../../lib/readiness';
import { useCatalogStore } from '../catalog/store';
import { useLinkStore } from '../link/store';
import { useSessionStore } from './store';

export function useLiveReadiness(): boolean {
  const alertsLoaded = useSessionStore((s) => s.alertsLoaded);
  const hello = useLinkStore((s) => s.helloReceived);
  const catalogSettled = useCatalogStore((s) => s.status === 'ready' || s.status === 'error');
  const live = alertsLoaded && hello && catalogSettled;
  useEffect(() => {
    setReadiness(live ? 'live' : 'loading');
  }, [live]);
  return live;
}
