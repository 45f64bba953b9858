import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoAccounts } from '../../../shared/protocol';
import { BackendError, fetchDemoAccounts } from '../../lib/backend-client';
import { describeError, describeErrorRef, type ShownError } from '../../lib/errors';
import { setReadiness } from '../../lib/readiness';
import { inlineText } from '../../lib/text';
import { ErrorText } from '../../ui/ErrorText';
import { LanguageSelect } from '../../ui/LanguageSelect';
import { signIn } from './controller';
import { useSessionStore } from './store';
import './login.css';

type DemoState = { status: 'off' | 'loading' | 'failed' } | { status: 'ready'; accounts: DemoAccounts['accounts'] };

export function LoginScreen() {
  const { t } = useTranslation();
  const info = useSessionStore((s) => s.info);
  const notice = useSessionStore((s) => s.notice);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [demo, setDemo] = useState<DemoState>({ status: info?.embedded ? 'loading' : 'off' });
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const backendUrl = info?.backendUrl ?? null;
  const embedded = info?.embedded ?? false;
  useEffect(() => {
    if (!backendUrl || !embedded) return;
    let live = true;
    fetchDemoAccounts(backendUrl).then(
      (accounts) => live && setDemo({ status: 'ready', accounts }),
      () => live && setDemo({ status: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [backendUrl, embedded]);

  // Interactive once the form is up and, on a demo backend, its accounts are listed.
  const settled = demo.status !== 'loading';
  useEffect(() => {
    setReadiness(settled ? 'login' : 'loading');
  }, [settled]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError({ message: t('login.missing'), detail: null });
      (username.trim() ? passwordRef : usernameRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
    } catch (err) {
      const shown = describeError(t, err);
      // "Wrong username or password" needs no technical detail under it.
      setError(err instanceof BackendError && err.code === 'invalid_credentials' ? { ...shown, detail: null } : shown);
      setBusy(false);
      passwordRef.current?.select();
    }
  };

  const shownNotice = notice ? describeErrorRef(t, notice) : null;

  return (
    <div className="login-screen">
      <div className="login-card">
        <div className="login-top">
          <div className="brand">
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
          <LanguageSelect />
        </div>

        <form className="login-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="login-title">
          <h1 id="login-title" className="login-title">
            {t('login.title')}
          </h1>
          {shownNotice && !error && <ErrorText error={shownNotice} testId="login-notice" role="status" />}
          <label className="field">
            <span className="field-label">{t('login.username')}</span>
            <input
              ref={usernameRef}
              data-testid="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={64}
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              disabled={busy}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('login.password')}</span>
            <input
              ref={passwordRef}
              data-testid="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              maxLength={256}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              disabled={busy}
            />
          </label>
          {error && <ErrorText error={error} testId="login-error" />}
          <button type="submit" className="btn btn-primary login-submit" data-testid="login-submit" disabled={busy} aria-busy={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
          {backendUrl && (
            <div className="login-backend" data-testid="login-backend">
              <bdi>{t('login.backend', { url: backendUrl })}</bdi>
            </div>
          )}
        </form>

        {demo.status !== 'off' && (
          <section className="demo-accounts" aria-labelledby="demo-title" data-testid="demo-accounts">
            <h2 id="demo-title" className="demo-title">
              {t('login.demoTitle')}
            </h2>
            <p className="demo-hint">{t('login.demoHint')}</p>
            {demo.status === 'failed' && (
              <div className="error-text" role="status" data-testid="demo-error">
                {t('login.demoUnavailable')}
              </div>
            )}
            {demo.status === 'ready' && (
              <ul className="demo-list">
                {demo.accounts.map((a) => (
                  <li key={a.username}>
                    <button
                      type="button"
                      className="demo-account"
                      data-testid={`demo-account-${a.role}`}
                      aria-label={t('login.demoAria', { label: inlineText(a.label, 100), username: a.username })}
                      disabled={busy}
                      onClick={() => {
                        setUsername(a.username);
                        setPassword(a.password);
                        setError(null);
                      }}
                    >
                      <span className="demo-role">{t(`role.${a.role}`)}</span>
                      <bdi className="demo-label">{inlineText(a.label, 100)}</bdi>
                      <span className="demo-username">{a.username}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
