"""The publiccode.yml standard's categories and scopes in Italian, and the themes and budget missions they map to.

Imported practices keep the catalogue's English codes as tags (so that they match the national catalogue); pages
show them through `category_label`, and the search indexes the Italian label beside the code.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

CATEGORY_LABELS = {
    "accounting": _l("Contabilità"),
    "agile-project-management": _l("Gestione agile dei progetti"),
    "applicant-tracking": _l("Selezione del personale"),
    "application-development": _l("Sviluppo di applicazioni"),
    "appointment-scheduling": _l("Prenotazione di appuntamenti"),
    "backup": _l("Backup"),
    "billing-and-invoicing": _l("Fatturazione"),
    "blog": _l("Blog"),
    "budgeting": _l("Bilancio e programmazione"),
    "business-intelligence": _l("Analisi direzionale (business intelligence)"),
    "business-process-management": _l("Gestione dei procedimenti"),
    "cad": _l("Disegno tecnico (CAD)"),
    "call-center-management": _l("Gestione del call center"),
    "cloud-management": _l("Gestione del cloud"),
    "collaboration": _l("Collaborazione"),
    "communications": _l("Comunicazione"),
    "compliance-management": _l("Conformità normativa"),
    "contact-management": _l("Gestione dei contatti"),
    "content-management": _l("Gestione dei contenuti"),
    "crm": _l("Relazioni con l'utenza (CRM)"),
    "customer-service-and-support": _l("Assistenza all'utenza"),
    "data-analytics": _l("Analisi dei dati"),
    "data-collection": _l("Raccolta dei dati"),
    "data-visualization": _l("Visualizzazione dei dati"),
    "design": _l("Progettazione grafica"),
    "design-system": _l("Sistema di progettazione (design system)"),
    "digital-asset-management": _l("Archivio di risorse digitali"),
    "digital-citizenship": _l("Cittadinanza digitale"),
    "document-management": _l("Gestione documentale"),
    "donor-management": _l("Gestione dei donatori"),
    "e-commerce": _l("Commercio elettronico"),
    "e-signature": _l("Firma elettronica"),
    "educational-content": _l("Contenuti didattici"),
    "email-management": _l("Gestione della posta elettronica"),
    "email-marketing": _l("Campagne via posta elettronica"),
    "employee-management": _l("Gestione del personale"),
    "enterprise-project-management": _l("Gestione dei progetti dell'ente"),
    "enterprise-social-networking": _l("Rete sociale interna"),
    "erp": _l("Gestionale integrato (ERP)"),
    "event-management": _l("Gestione degli eventi"),
    "facility-management": _l("Gestione delle sedi"),
    "feedback-and-reviews-management": _l("Segnalazioni e valutazioni dell'utenza"),
    "financial-reporting": _l("Rendicontazione finanziaria"),
    "fleet-management": _l("Gestione del parco veicoli"),
    "fundraising": _l("Raccolta fondi"),
    "gamification": _l("Ludicizzazione"),
    "geographic-information-systems": _l("Sistemi informativi territoriali"),
    "grant-management": _l("Gestione di contributi e finanziamenti"),
    "graphic-design": _l("Grafica"),
    "help-desk": _l("Help desk"),
    "hr": _l("Risorse umane"),
    "ide": _l("Ambiente di sviluppo"),
    "identity-management": _l("Gestione delle identità"),
    "instant-messaging": _l("Messaggistica istantanea"),
    "integrated-library-system": _l("Gestione delle biblioteche"),
    "inventory-management": _l("Inventario"),
    "it-asset-management": _l("Inventario informatico"),
    "it-development": _l("Sviluppo informatico"),
    "it-management": _l("Gestione dei sistemi informatici"),
    "it-security": _l("Sicurezza informatica"),
    "it-service-management": _l("Gestione dei servizi informatici"),
    "knowledge-management": _l("Gestione della conoscenza"),
    "learning-management-system": _l("Formazione a distanza"),
    "marketing": _l("Promozione"),
    "mind-mapping": _l("Mappe concettuali"),
    "mobile-marketing": _l("Promozione su dispositivi mobili"),
    "mobile-payment": _l("Pagamenti da dispositivi mobili"),
    "network-management": _l("Gestione della rete"),
    "office": _l("Produttività d'ufficio"),
    "online-booking": _l("Prenotazioni online"),
    "online-community": _l("Comunità online"),
    "payment-gateway": _l("Pagamenti elettronici"),
    "payroll": _l("Stipendi"),
    "predictive-analysis": _l("Analisi predittiva"),
    "procurement": _l("Appalti e acquisti"),
    "productivity-suite": _l("Strumenti di produttività"),
    "project-collaboration": _l("Collaborazione sui progetti"),
    "project-management": _l("Gestione dei progetti"),
    "property-management": _l("Gestione del patrimonio immobiliare"),
    "real-estate-management": _l("Gestione immobiliare"),
    "regulations-and-directives": _l("Norme e regolamenti"),
    "remote-support": _l("Assistenza remota"),
    "resource-management": _l("Gestione delle risorse"),
    "sales-management": _l("Gestione delle vendite"),
    "seo": _l("Visibilità sui motori di ricerca"),
    "service-desk": _l("Service desk"),
    "social-media-management": _l("Gestione dei social media"),
    "survey": _l("Questionari e sondaggi"),
    "talent-management": _l("Valorizzazione del personale"),
    "task-management": _l("Gestione delle attività"),
    "taxes-management": _l("Tributi"),
    "test-management": _l("Gestione dei collaudi"),
    "time-management": _l("Gestione del tempo"),
    "time-tracking": _l("Rilevazione delle presenze"),
    "translation": _l("Traduzione"),
    "video-conferencing": _l("Videoconferenza"),
    "video-editing": _l("Montaggio video"),
    "visitor-management": _l("Gestione dei visitatori"),
    "voip": _l("Telefonia via internet (VoIP)"),
    "warehouse-management": _l("Gestione del magazzino"),
    "web-collaboration": _l("Collaborazione sul web"),
    "web-conferencing": _l("Conferenze sul web"),
    "website-builder": _l("Realizzazione di siti web"),
    "whistleblowing": _l("Segnalazione di illeciti (whistleblowing)"),
    "workflow-management": _l("Gestione dei flussi di lavoro"),
    "other": _l("Altro"),
}

# Only where the category says what the practice is about; generic software (office, data-visualization…) keeps the
# community's theme.
CATEGORY_THEMES = {
    "procurement": "procurement",
    "grant-management": "eu_funds",
    "learning-management-system": "training",
    "educational-content": "training",
    "digital-citizenship": "services",
    "appointment-scheduling": "services",
    "online-booking": "services",
    "payment-gateway": "services",
    "mobile-payment": "services",
    "customer-service-and-support": "services",
    "feedback-and-reviews-management": "services",
    "geographic-information-systems": "environment",
}

CATEGORY_MISSIONS = {
    "procurement": "01", "accounting": "01", "budgeting": "01", "billing-and-invoicing": "01",
    "financial-reporting": "01", "payroll": "01", "taxes-management": "01", "hr": "01", "employee-management": "01",
    "document-management": "01", "integrated-library-system": "05", "geographic-information-systems": "08",
    "fleet-management": "01", "property-management": "01", "real-estate-management": "01",
}

SCOPE_LABELS = {
    "agriculture": _l("Agricoltura"), "culture": _l("Cultura"), "defence": _l("Difesa"),
    "education": _l("Istruzione"), "emergency-services": _l("Emergenze e soccorso"), "employment": _l("Lavoro"),
    "energy": _l("Energia"), "environment": _l("Ambiente"),
    "finance-and-economic-development": _l("Finanza e sviluppo economico"), "foreign-affairs": _l("Affari esteri"),
    "government": _l("Amministrazione"), "healthcare": _l("Sanità"), "infrastructures": _l("Infrastrutture"),
    "justice": _l("Giustizia"), "local-authorities": _l("Enti locali"), "manufacturing": _l("Manifattura"),
    "research": _l("Ricerca"), "science-and-technology": _l("Scienza e tecnologia"), "security": _l("Sicurezza"),
    "society": _l("Società"), "sport": _l("Sport"), "tourism": _l("Turismo"), "transportation": _l("Trasporti"),
    "welfare": _l("Welfare"),
}

# Budget missions of D.Lgs. 118/2011 for the scopes that have one; "government" and "local-authorities" are where
# the software is used, not what it is about, so they decide nothing.
SCOPE_MISSIONS = {
    "justice": "02", "security": "03", "education": "04", "culture": "05", "sport": "06", "tourism": "07",
    "infrastructures": "08", "environment": "09", "transportation": "10", "emergency-services": "11",
    "welfare": "12", "healthcare": "13", "finance-and-economic-development": "14", "employment": "15",
    "agriculture": "16", "energy": "17", "foreign-affairs": "19",
}

SCOPE_THEMES = {"environment": "environment"}


def category_label(code: str) -> str:
    """The Italian name of a category code of the standard; any other tag as it is."""
    label = CATEGORY_LABELS.get((code or "").lower())
    return str(label) if label is not None else code


def classify(categories: list[str], scopes: list[str], default_theme: str) -> tuple[str, str | None]:
    """The theme and budget mission of an imported practice: its scopes first (more specific), then its categories,
    else the community's theme and no mission."""
    theme = next((SCOPE_THEMES[s] for s in scopes if s in SCOPE_THEMES), None) or next(
        (CATEGORY_THEMES[c] for c in categories if c in CATEGORY_THEMES), None) or default_theme
    mission = next((SCOPE_MISSIONS[s] for s in scopes if s in SCOPE_MISSIONS), None) or next(
        (CATEGORY_MISSIONS[c] for c in categories if c in CATEGORY_MISSIONS), None)
    return theme, mission
