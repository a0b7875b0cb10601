"""Inter-annotator agreement: chance-corrected coefficients, unitizing alpha and span F1.

Pure Python and numpy, no Django: the services feed these plain values. Token-level kappa and
alpha take their items from `annotator.domain.tokenize` (`tokenize`, then `token_labels` for each
annotator).
"""

from .coefficients import (
    LEVELS,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
)
from .disagreements import KINDS, Pairing, compare_spans
from .document import VERSION, CodedSpan, DocumentTallies, attribute_level, document_tallies
from .f1 import (
    MATCHES,
    F1Result,
    f1_from_counts,
    macro_f1,
    pooled_f1,
    span_f1,
)
from .project import RELIABLE, TENTATIVE, AgreementTally
from .unitizing import UnitizingTally, unitizing_alpha, unitizing_disagreements

__all__ = [
    "KINDS",
    "LEVELS",
    "MATCHES",
    "RELIABLE",
    "TENTATIVE",
    "VERSION",
    "AgreementTally",
    "CodedSpan",
    "DocumentTallies",
    "F1Result",
    "Pairing",
    "UnitizingTally",
    "attribute_level",
    "cohen_kappa",
    "compare_spans",
    "document_tallies",
    "f1_from_counts",
    "fleiss_kappa",
    "krippendorff_alpha",
    "macro_f1",
    "pooled_f1",
    "span_f1",
    "unitizing_alpha",
    "unitizing_disagreements",
]
