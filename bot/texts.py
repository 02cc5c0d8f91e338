"""Everything the bot says on its own, in French and English, in one place.

The coach's answers come from the agent; these are the bot's framing words:
onboarding questions, command help, confirmations, apologies. Each entry has
both languages so that a missing translation is a test failure, not a silent
English reply to a French athlete.
"""

from __future__ import annotations

from typing import Any, Final, Literal

Language = Literal["fr", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("fr", "en")

TEXTS: Final[dict[str, dict[Language, str]]] = {
    "choose_language": {
        "fr": "Bonjour ! Je suis Foulée, ton coach de course à pied. "
        "Choisis ta langue / choose your language :",
        "en": "Hello! I am Foulée, your running coach. Choisis ta langue / choose your language:",
    },
    "language_set": {"fr": "Langue : français.", "en": "Language: English."},
    "new_or_link": {
        "fr": "As-tu déjà un compte Foulée sur le web ? Tu peux le relier avec le code affiché sur ta "
        "page de profil, ou créer ton profil ici.",
        "en": "Do you already have a Foulée web account? You can link it with the code shown on your "
        "profile page, or create your profile here.",
    },
    "button_new": {"fr": "Créer mon profil", "en": "Create my profile"},
    "button_link": {"fr": "J'ai un code", "en": "I have a code"},
    "button_skip": {"fr": "Je ne sais pas", "en": "I don't know"},
    "ask_link_code": {
        "fr": "Envoie-moi le code à 8 caractères affiché sur ta page de profil (valable 15 minutes).",
        "en": "Send me the 8-character code shown on your profile page (valid for 15 minutes).",
    },
    "link_ok": {
        "fr": "C'est fait : ce chat est relié au compte {email}. "
        "Envoie /aide pour voir ce que je sais faire.",
        "en": "Done: this chat is linked to the account {email}. Send /help to see what I can do.",
    },
    "link_bad": {
        "fr": "Ce code est inconnu ou expiré. Demande un nouveau code sur ta page de profil et renvoie-le.",
        "en": "That code is unknown or expired. Ask for a new one on your profile page and send it again.",
    },
    "link_taken": {
        "fr": "Ce compte Telegram est déjà relié à un profil Foulée. "
        "Envoie /supprimer d'abord pour en changer.",
        "en": "This Telegram account is already linked to a Foulée profile. Send /delete first to change it.",
    },
    "ask_birth_year": {
        "fr": "En quelle année es-tu né·e ? (par ex. 1988) Elle sert à estimer ta FC max.",
        "en": "What year were you born? (e.g. 1988) It is used to estimate your max heart rate.",
    },
    "ask_sex": {
        "fr": "Ton sexe ? Il sert au calcul de la charge d'entraînement (TRIMP).",
        "en": "Your sex? It is used to compute the training load (TRIMP).",
    },
    "button_male": {"fr": "Homme", "en": "Male"},
    "button_female": {"fr": "Femme", "en": "Female"},
    "ask_hr_max": {
        "fr": "Ta fréquence cardiaque maximale, si tu la connais (en bpm) ? Sinon j'utilise {estimate} bpm "
        "({source}).",
        "en": "Your maximum heart rate, if you know it (in bpm)? Otherwise I use {estimate} bpm ({source}).",
    },
    "ask_hr_rest": {
        "fr": "Ta fréquence cardiaque au repos, mesurée au réveil (en bpm) ? Sinon j'utilise {estimate} bpm "
        "({source}).",
        "en": "Your resting heart rate, measured on waking (in bpm)? "
        "Otherwise I use {estimate} bpm ({source}).",
    },
    "source_measured": {"fr": "mesurée", "en": "measured"},
    "source_estimated from age": {"fr": "estimée d'après ton âge", "en": "estimated from your age"},
    "source_default": {"fr": "valeur par défaut", "en": "default value"},
    "not_a_number": {
        "fr": "Je n'ai pas compris ce nombre. Réessaie, ou touche « Je ne sais pas ».",
        "en": 'I could not read that number. Try again, or tap "I don\'t know".',
    },
    "onboarding_done": {
        "fr": "Ton profil est prêt. Envoie-moi tes sorties (fichiers .fit, .gpx ou .tcx) et pose-moi tes "
        "questions. /aide liste les commandes ; /profil permet de corriger ces valeurs.",
        "en": "Your profile is ready. Send me your runs (.fit, .gpx or .tcx files) and ask me anything. "
        "/help lists the commands; /profile lets you fix these values.",
    },
    "welcome_back": {
        "fr": "Re-bonjour {name} ! Envoie /aide pour voir les commandes.",
        "en": "Welcome back {name}! Send /help to see the commands.",
    },
    "need_start": {
        "fr": "Je ne te connais pas encore : envoie /start pour créer ton profil ou relier ton compte.",
        "en": "I don't know you yet: send /start to create your profile or link your account.",
    },
    "privacy": {
        "fr": "Confidentialité (notice {version}). Responsable du traitement : {controller}.\n"
        "• Ton compte, tes sorties, tes plans et nos conversations servent à te coacher (base légale : le "
        "contrat).\n"
        "• Ta fréquence cardiaque, tes blessures et maladies sont des données de santé : je ne les traite "
        "qu'avec ton accord explicite (RGPD art. 9(2)(a)), que tu peux retirer à tout moment avec "
        "/consentement.\n"
        "• Ton coach, si tu en as un, voit ton entraînement ; chaque accès est enregistré.\n"
        "• Conversations gardées {conversation_days} jours ; compte inactif prévenu après "
        "{inactive_days} jours puis effacé.\n"
        "• Tes droits : /export pour tout télécharger, /supprimer pour tout effacer, et la page "
        "Confidentialité du site (/privacy/) pour le reste.",
        "en": "Privacy (notice {version}). Data controller: {controller}.\n"
        "• Your account, runs, plans and our conversations are used to coach you (legal basis: the "
        "contract).\n"
        "• Your heart rate, injuries and illnesses are health data: I process them only with your "
        "explicit consent (GDPR art. 9(2)(a)), which you can withdraw at any time with /consent.\n"
        "• Your coach, if you have one, sees your training; every access is recorded.\n"
        "• Conversations kept {conversation_days} days; an inactive account is warned after "
        "{inactive_days} days, then deleted.\n"
        "• Your rights: /export to download everything, /delete to erase everything, and the web site's "
        "Privacy page (/privacy/) for the rest.",
    },
    "ask_health_consent": {
        "fr": "Une question à part : acceptes-tu que je traite tes données de santé (fréquence cardiaque, "
        "blessures, maladies) pour calculer tes zones, ta charge et ta forme et adapter ton plan ? "
        "Sans ton accord, distance, allure, VMA, prédictions et plans marchent quand même. "
        "Tu peux changer d'avis à tout moment avec /consentement ; /confidentialite explique tout.",
        "en": "A separate question: do you agree that I process your health data (heart rate, injuries, "
        "illnesses) to compute your zones, load and form and adapt your plan? Without it, distance, pace, "
        "VMA, predictions and plans still work. You can change your mind at any time with /consent; "
        "/privacy explains everything.",
    },
    "button_consent_yes": {"fr": "J'accepte", "en": "I agree"},
    "button_consent_no": {"fr": "Non merci", "en": "No, thanks"},
    "consent_given": {
        "fr": "Merci : j'utilise ta fréquence cardiaque et je retiens tes blessures pour te coacher.",
        "en": "Thank you: I use your heart rate and keep your injuries in mind to coach you.",
    },
    "consent_refused": {
        "fr": "C'est noté : je ne traite pas tes données de santé (pas de zones cardiaques, de charge TRIMP "
        "ni de forme, et je ne retiens pas tes blessures ; celles notées sont effacées). Distance, allure, "
        "VMA, prédictions et plans marchent toujours. /consentement pour changer d'avis.",
        "en": "Noted: I do not process your health data (no heart-rate zones, TRIMP load or form, and I keep "
        "no injuries; those noted are erased). Distance, pace, VMA, predictions and plans still work. "
        "/consent to change your mind.",
    },
    "consent_state_yes": {
        "fr": "Tu as donné ton accord pour tes données de santé. Le retirer ?",
        "en": "You have given your consent to the processing of your health data. Withdraw it?",
    },
    "consent_state_no": {
        "fr": "Tu n'as pas donné ton accord pour tes données de santé : je ne les traite pas. Le donner ?",
        "en": "You have not given your consent to health data: I do not process it. Give it?",
    },
    "button_consent_withdraw": {"fr": "Retirer mon accord", "en": "Withdraw my consent"},
    "help": {
        "fr": "Ce que je sais faire :\n"
        "/semaine — ta semaine d'entraînement\n"
        "/zones — tes zones cardiaques\n"
        "/prediction [distance] — tes temps prédits (5k, 10k, semi, marathon)\n"
        "/forme — fatigue et fraîcheur (CTL/ATL/TSB)\n"
        "/plan — les séances à venir\n"
        "/prochaine — ta prochaine séance\n"
        "/profil — ton profil (et le corriger : /profil fcmax 188)\n"
        "/lang — changer de langue\n"
        "/export — tes données en JSON\n"
        "/supprimer — effacer ton compte\n"
        "/confidentialite — ce que Foulée fait de tes données\n"
        "/consentement — donner ou retirer ton accord pour tes données de santé\n"
        "/strava — connecter ton compte Strava\n"
        "Envoie aussi tes fichiers .fit, .gpx ou .tcx (même compressés en .gz), ou pose une question.",
        "en": "What I can do:\n"
        "/week — your training week\n"
        "/zones — your heart-rate zones\n"
        "/prediction [distance] — your predicted times (5k, 10k, half, marathon)\n"
        "/form — fatigue and freshness (CTL/ATL/TSB)\n"
        "/plan — the coming sessions\n"
        "/next — your next session\n"
        "/profile — your profile (and fixing it: /profile hrmax 188)\n"
        "/lang — change language\n"
        "/export — your data as JSON\n"
        "/delete — erase your account\n"
        "/privacy — what Foulée does with your data\n"
        "/consent — give or withdraw your consent to health data\n"
        "/strava — connect your Strava account\n"
        "You can also send .fit, .gpx or .tcx files (gzipped too), or ask a question.",
    },
    "strava_connect": {
        "fr": "Pour connecter Strava, ouvre ton profil sur le site Foulée (Profil → Strava) et choisis "
        "« Connecter Strava » : ton historique et chaque nouvelle activité arriveront d'eux-mêmes.",
        "en": "To connect Strava, open your profile on the Foulée site (Profile → Strava) and choose "
        '"Connect Strava": your history and every new activity will arrive by themselves.',
    },
    "strava_importing": {
        "fr": "Strava est connecté ; import de ton historique en cours : {count} activités pour l'instant.",
        "en": "Strava is connected; importing your history: {count} activities so far.",
    },
    "strava_done": {
        "fr": "Strava est connecté : {count} activités importées, les nouvelles arrivent d'elles-mêmes.",
        "en": "Strava is connected: {count} activities imported, new ones arrive by themselves.",
    },
    "profile": {
        "fr": "Ton profil :\n• année de naissance : {birth_year}\n• sexe : {sex}\n• FC max : {hr_max}\n"
        "• FC repos : {hr_rest}\n• langue : français\n• fuseau : {timezone}\n"
        "Pour corriger : /profil naissance 1988, /profil sexe F, /profil fcmax 188, /profil fcrepos 52, "
        "/profil fuseau Europe/Paris.",
        "en": "Your profile:\n• birth year: {birth_year}\n• sex: {sex}\n• HR max: {hr_max}\n"
        "• HR rest: {hr_rest}\n• language: English\n• time zone: {timezone}\n"
        "To fix it: /profile born 1988, /profile sex F, /profile hrmax 188, /profile hrrest 52, "
        "/profile tz Europe/London.",
    },
    "unknown_value": {"fr": "inconnu", "en": "unknown"},
    "bpm_with_source": {"fr": "{value} bpm ({source})", "en": "{value} bpm ({source})"},
    "profile_updated": {"fr": "Profil mis à jour.", "en": "Profile updated."},
    "profile_usage": {
        "fr": "Je n'ai pas compris. Exemples : /profil naissance 1988, /profil sexe F, /profil fcmax 188, "
        "/profil fcrepos 52, /profil fuseau Europe/Paris.",
        "en": "I did not understand. Examples: /profile born 1988, /profile sex F, /profile hrmax 188, "
        "/profile hrrest 52, /profile tz Europe/London.",
    },
    "invalid_value": {"fr": "Valeur refusée : {reason}", "en": "Value refused: {reason}"},
    "choose_distance": {"fr": "Pour quelle distance ?", "en": "For which distance?"},
    "confirm_delete": {
        "fr": "Effacer ton compte Foulée et toutes tes données (activités, plans, conversations) ? "
        "C'est définitif.",
        "en": "Erase your Foulée account and all your data (activities, plans, conversations)? "
        "This cannot be undone.",
    },
    "button_delete_yes": {"fr": "Oui, tout effacer", "en": "Yes, erase everything"},
    "button_delete_no": {"fr": "Non, annuler", "en": "No, cancel"},
    "deleted": {
        "fr": "Ton compte et tes données sont effacés. Envoie /start si tu veux recommencer.",
        "en": "Your account and data are erased. Send /start if you want to start again.",
    },
    "delete_cancelled": {"fr": "Rien n'a été effacé.", "en": "Nothing was erased."},
    "export_caption": {
        "fr": "Tes données Foulée ({activities} activités).",
        "en": "Your Foulée data ({activities} activities).",
    },
    "button_done": {"fr": "✅ Faite", "en": "✅ Done"},
    "session_marked_done": {
        "fr": "Séance du {date} notée comme faite. Bravo !",
        "en": "Session of {date} marked done. Well done!",
    },
    "session_not_found": {
        "fr": "Je ne trouve plus cette séance.",
        "en": "I can no longer find that session.",
    },
    "no_plan": {
        "fr": "Tu n'as pas de plan actif. Demande-moi par exemple « plan 10 km le 15 mars ».",
        "en": 'You have no active plan. Ask me, for example, "10k plan on March 15".',
    },
    "plan_header": {"fr": "{name} — prochaines séances :", "en": "{name} — coming sessions:"},
    "plan_empty": {
        "fr": "Il n'y a plus de séance prévue dans ton plan.",
        "en": "There are no sessions left in your plan.",
    },
    "reminder": {"fr": "Demain ({date}) : {session}", "en": "Tomorrow ({date}): {session}"},
    "upload_unsupported": {
        "fr": "Je lis les fichiers .fit, .gpx et .tcx (éventuellement compressés en .gz). "
        "« {name} » n'en est pas un.",
        "en": 'I read .fit, .gpx and .tcx files (gzipped too). "{name}" is not one of them.',
    },
    "upload_too_big": {
        "fr": "Ce fichier dépasse la limite de Telegram ({limit} Mo) : "
        "compresse-le en .gz ou importe-le sur le web.",
        "en": "This file is over Telegram's limit ({limit} MB): gzip it or import it on the web.",
    },
    "upload_error": {
        "fr": "Je n'ai pas pu lire « {name} » : {reason}",
        "en": 'I could not read "{name}": {reason}',
    },
    "upload_duplicate": {
        "fr": "J'ai déjà cette sortie (activité {activity_id}) : rien n'a changé.",
        "en": "I already have this run (activity {activity_id}): nothing changed.",
    },
    "upload_imported": {"fr": "Sortie importée : {summary}", "en": "Run imported: {summary}"},
    "chart_caption": {"fr": "Allure et fréquence cardiaque", "en": "Pace and heart rate"},
    "chart_caption_pace": {"fr": "Allure", "en": "Pace"},
    "slow_down": {
        "fr": "Doucement 🙂 Je n'ai pas lu ce message : renvoie-le dans {seconds} s.",
        "en": "Easy 🙂 I didn't read that message: send it again in {seconds} s.",
    },
    "apology": {
        "fr": "Désolé, quelque chose s'est mal passé de mon côté. Réessaie dans un instant.",
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
    },
    "message_empty": {
        "fr": "Ton message est vide : écris-moi ta question.",
        "en": "Your message is empty: write me your question.",
    },
    "message_too_long": {
        "fr": "Ton message est trop long : {limit} caractères au plus, s'il te plaît.",
        "en": "Your message is too long: {limit} characters at most, please.",
    },
    "message_control_characters": {
        "fr": "Ton message contient un caractère de contrôle invisible ({characters}) : "
        "enlève-le et renvoie-le.",
        "en": "Your message holds an invisible control character ({characters}): "
        "remove it and send it again.",
    },
    "coach_unavailable": {
        "fr": "Je ne sais pas encore répondre aux messages libres : utilise les commandes (/aide).",
        "en": "I cannot answer free messages yet: use the commands (/help).",
    },
}


def say(language: Language, key: str, **values: Any) -> str:
    """The text ``key`` in ``language``, with ``values`` filled in."""
    return TEXTS[key][language].format(**values)


def as_language(code: str | None) -> Language:
    """A profile's or a Telegram client's language code, folded to one Foulée speaks (French by default)."""
    return "en" if (code or "").lower().startswith("en") else "fr"
