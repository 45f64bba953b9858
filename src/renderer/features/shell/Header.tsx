import { useTranslation } from 'react-i18next';
import { inlineText } from '../../lib/text';
import { useThrottledStore } from '../../lib/use-throttled';
import { LanguageSelect } from '../../ui/LanguageSelect';
import { useCatalogStore } from '../catalog/store';
import { DevicesButton } from '../devices/DevicesButton';
import { ReportButton } from '../dispatch/ReportButton';
import { selectBehindBy, useLinkStore } from '../link/store';
import { signOut } from '../session/controller';
import { selectUser, useSessionStore } from '../session/store';

export function Header() {
  const { t } = useTranslation();
  const user = useSessionStore(selectUser);
  return (
    <header className="app-header">
      <div className="brand-name header-brand" data-testid="product-name">
        {t('app.name')}
      </div>
      {user && (
        <div className="header-operator" aria-label={t('header.operator')}>
          <bdi className="operator-name" data-testid="operator-name">
            {inlineText(user.name, 100)}
          </bdi>
          <span className="operator-role" data-testid="operator-role" data-role={user.role}>
            {t(`role.${user.role}`)}
          </span>
          <ScopeLabel />
        </div>
      )}
      <div className="header-status">
        <LinkIndicator />
        <BehindBy />
        <RejectedCount />
      </div>
      <div className="header-actions">
        <ReportButton />
        <DevicesButton />
        <LanguageSelect />
        <button type="button" className="btn btn-quiet" data-testid="logout" onClick={signOut}>
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}

function ScopeLabel() {
  const { t } = useTranslation();
  const scope = useSessionStore((s) => s.session?.login.user.scope ?? null);
  const schoolCount = useCatalogStore((s) => s.index?.schoolList.length ?? null);
  const schoolName = useCatalogStore((s) => (scope?.kind === 'school' ? (s.index?.schools.get(scope.schoolId)?.name ?? null) : null));
  if (!scope) return null;
  const label =
    scope.kind === 'city'
      ? schoolCount === null
        ? t('scope.cityPending')
        : t('scope.city', { count: schoolCount })
      : schoolName
        ? inlineText(schoolName, 200)
        : t('scope.schoolPending', { id: scope.schoolId });
  return (
    <bdi className="scope-label" data-testid="scope-label" data-scope={scope.kind} title={label}>
      {label}
    </bdi>
  );
}

function LinkIndicator() {
  const { t } = useTranslation();
  const state = useLinkStore((s) => s.state);
  const detail = useLinkStore((s) => s.detail);
  const label = t(`link.state.${state}`);
  return (
    <span
      className={`link-state link-${state}`}
      data-testid="link-state"
      data-state={state}
      role="status"
      aria-label={t('link.label', { state: label })}
      title={detail ? `${t('link.label', { state: label })} — ${inlineText(detail, 200)}` : t('link.label', { state: label })}
    >
      <span className="link-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

const BEHIND_REFRESH_MS = 250;

function BehindBy() {
  const { t } = useTranslation();
  // Four times a second: under a flood the figure changes every frame, faster than it can be read,
  // and each change re-laid out the header.
  const behind = useThrottledStore(useLinkStore, selectBehindBy, BEHIND_REFRESH_MS);
  const resyncing = useLinkStore((s) => s.resyncing);
  const live = useLinkStore((s) => s.state === 'live');
  // Without a live link the backend's latest sequence is unknown: never claim "up to date" then.
  const text = resyncing ? t('link.resyncing') : behind > 0 ? t('link.behind', { count: behind }) : live ? t('link.upToDate') : t('link.lagUnknown');
  return (
    <span className={`behind-by${behind > 0 ? ' behind-by-lagging' : ''}`} data-testid="behind-by" data-count={behind} data-known={String(live)}>
      {text}
    </span>
  );
}

function RejectedCount() {
  const { t } = useTranslation();
  const count = useLinkStore((s) => s.rejectedCount);
  return (
    <span className={`rejected-count${count > 0 ? ' rejected-count-some' : ''}`} data-testid="rejected-count" data-count={count} title={t('header.rejectedTitle')}>
      {t('header.rejected', { count })}
    </span>
  );
}
