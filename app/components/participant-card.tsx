import { useT } from "~/i18n/use-t";

export interface ParticipantCardData {
  penName: string;
  code: string;
  /** Where a participant types the code: this server's `/code` page. */
  entranceUrl: string;
  /** The QR code (SVG, drawn on the server) of the entrance link with the code in its fragment. */
  qrSvg: string;
  roomName: string | null;
}

/**
 * The card staff print for a participant (business-card / A6 size): the app's address, the pen
 * name, the access code in groups and a QR code that logs in. The code exists only in this
 * answer (it is stored hashed), so the card is printed from here and never from a URL.
 */
export function ParticipantCard({ card }: { card: ParticipantCardData }) {
  const t = useT();
  return (
    <section
      className="participant-card"
      aria-labelledby="card-title"
      data-testid="participant-card"
    >
      <h2 id="card-title" className="participant-card__title">
        {t("card.title")}
      </h2>
      <p className="participant-card__name">
        {t("card.penName")}: <strong>{card.penName}</strong>
      </p>
      <div className="participant-card__body">
        <div
          className="participant-card__qr"
          role="img"
          aria-label={t("card.qrLabel")}
          // Generated on the server by `qrcode` from our own URL: no user markup.
          dangerouslySetInnerHTML={{ __html: card.qrSvg }}
        />
        <div>
          <p className="participant-card__label">{t("card.code")}</p>
          <p className="participant-card__code" data-testid="card-code">
            {card.code.split("-").map((group, i) => (
              <span key={i}>{group}</span>
            ))}
          </p>
          <p className="participant-card__label">{t("card.address")}</p>
          <p className="participant-card__url">{card.entranceUrl}</p>
        </div>
      </div>
      <p className="participant-card__hint">{t("card.howTo")}</p>
      {card.roomName ? (
        <p className="participant-card__hint">{t("card.room", { room: card.roomName })}</p>
      ) : null}
      <p className="participant-card__hint">{t("card.keep")}</p>
    </section>
  );
}
