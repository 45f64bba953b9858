// The shared incident's notes: every console in scope (the police dispatcher, the department's duty
// officer, the school's guard) sees the same notes; a note can be handed to a role, and the notes
// handed to this operator's role stand out. Each note is a command with an accepted/rejected answer.
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertView } from '../../../shared/alerts';
import { ROLES, type Role } from '../../../shared/domain';
import { inlineText } from '../../lib/text';
import { useCommandsStore } from '../commands/store';
import { sendCommand } from '../session/controller';
import { useSessionStore } from '../session/store';

export const IncidentNotes = memo(function IncidentNotes({ alert }: { alert: AlertView }) {
  const { t, i18n } = useTranslation();
  const role = useSessionStore((s) => s.session?.login.user.role ?? null);
  const busy = useCommandsStore((s) => s.byAlert.get(alert.id)?.state === 'pending');
  const [text, setText] = useState('');
  const [to, setTo] = useState<Role | ''>('');
  const open = alert.status !== 'resolved' && alert.recognized;
  if (!open && alert.notes.length === 0) return null;
  return (
    <section className="incident-notes" data-testid="incident-notes" aria-label={t('notes.title')}>
      <h3 className="detail-sub">{t('notes.title')}</h3>
      {alert.notes.length === 0 ? (
        <p className="empty">{t('notes.none')}</p>
      ) : (
        <ol className="notes-list">
          {alert.notes.map((n, i) => (
            <li key={i} data-testid="incident-note" data-to={n.to ?? ''} data-for-me={String(n.to !== null && n.to === role)} className={n.to !== null && n.to === role ? 'for-me' : undefined}>
              <span className="note-meta">
                {new Date(n.at).toLocaleTimeString(i18n.language)} · <bdi>{inlineText(n.by.name, 100)}</bdi>
                {n.to && <> → {t(`role.${n.to}`)}</>}
              </span>
              <bdi className="note-text">{inlineText(n.text, 2000)}</bdi>
            </li>
          ))}
        </ol>
      )}
      {open && (
        <form
          className="detail-form"
          onSubmit={(e) => {
            e.preventDefault();
            void sendCommand({ kind: 'alert.note', alertId: alert.id, text: text.trim(), ...(to ? { to } : {}) }).then((o) => {
              if (o?.status === 'accepted' || o?.status === 'queued') setText('');
            });
          }}
        >
          <input className="input" data-testid="note-text" value={text} maxLength={2000} placeholder={t('notes.placeholder')} aria-label={t('notes.placeholder')} onChange={(e) => setText(e.target.value)} />
          <select className="input" data-testid="note-to" aria-label={t('notes.handTo')} value={to} onChange={(e) => setTo(e.target.value as Role | '')}>
            <option value="">{t('notes.everyone')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t('notes.to', { role: t(`role.${r}`) })}
              </option>
            ))}
          </select>
          <button type="submit" className="btn" data-testid="note-add" disabled={busy || text.trim() === ''}>
            {t('notes.add')}
          </button>
        </form>
      )}
    </section>
  );
});
