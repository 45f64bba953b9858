import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { boot } from './features/session/controller';
import { createConsoleClient, setConsoleClient } from './lib/console-api';
import { detectTransport } from './lib/console-transport';
import { initI18n, preferredLanguage } from './lib/i18n';
import { setReadiness } from './lib/readiness';
import './styles/theme.css';
import './styles/app.css';

// The CSP forbids eval: zod must not probe for it (each probe is a CSP violation report).
z.config({ jitless: true });
setReadiness('boot');
const client = createConsoleClient(detectTransport());
setConsoleClient(client);

// The saved language (ui.locale) is applied by boot() as soon as the console host answers.
void initI18n(preferredLanguage(navigator.languages)).then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  void boot(client);
});
