// The readiness attribute end-to-end tests wait on (never on sleeps): html[data-kuzet-ready].
//   boot    the console is starting
//   login   the login form is interactive
//   loading logged in; initial alerts, catalog or the backend's hello still pending
//   live    logged in, initial alerts loaded, catalog settled and the socket said hello
//   error   the console could not start (the screen says why)
export type Readiness = 'boot' | 'login' | 'loading' | 'live' | 'error';

export function setReadiness(value: Readiness): void {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.kuzetReady = value;
}
