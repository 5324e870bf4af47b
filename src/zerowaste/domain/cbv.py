"""The CBV 2.0 bare-word vocabularies EPCIS 2.0 JSON accepts, and the namespaces it reserves.

Source: GS1 Core Business Vocabulary (CBV) 2.0 and EPCIS 2.0 (ratified June 2022), as the
terms are enumerated in the GS1 EPCIS 2.0 JSON schema
(https://ref.gs1.org/standards/epcis/2.0.0/epcis-json-schema.json). A value outside a list is
still valid when it is a URI outside the reserved CBV namespaces (a user vocabulary).
"""

from __future__ import annotations

import re
from typing import Final

#: URI prefixes reserved for CBV terms: a bare word must be used for those instead.
RESERVED_CBV = re.compile(r"^(urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/)")
#: URI prefixes reserved for the GS1 Web Vocabulary (measurement and alert types).
RESERVED_GS1_VOC = re.compile(r"^https?://(www\.)?gs1\.org/voc/")

#: CBV 2.0 business steps.
BIZ_STEPS: Final = frozenset(
    [
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
        "sensor_reporting",
        "sampling",
    ]
)

#: CBV 2.0 dispositions.
DISPOSITIONS: Final = frozenset(
    [
        "active",
        "container_closed",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "no_pedigree_match",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unknown",
        "available",
        "completeness_verified",
        "completeness_inferred",
        "conformant",
        "container_open",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "non_conformant",
        "unavailable",
    ]
)

#: CBV 2.0 business transaction types.
BIZ_TRANSACTION_TYPES: Final = frozenset(
    [
        "bol",
        "cert",
        "desadv",
        "inv",
        "pedigree",
        "po",
        "poc",
        "prodorder",
        "recadv",
        "rma",
        "testprd",
        "testres",
        "upevt",
    ]
)

#: CBV 2.0 source/destination types.
SOURCE_DESTINATION_TYPES: Final = frozenset(["owning_party", "possessing_party", "location"])

#: CBV 2.0 error reasons.
ERROR_REASONS: Final = frozenset(["did_not_occur", "incorrect_data"])

#: GS1 Web Vocabulary measurement types (sensorReport `type`).
MEASUREMENT_TYPES: Final = frozenset(
    [
        "AbsoluteHumidity",
        "AbsorbedDose",
        "AbsorbedDoseRate",
        "Acceleration",
        "Radioactivity",
        "Altitude",
        "AmountOfSubstance",
        "AmountOfSubstancePerUnitVolume",
        "Angle",
        "AngularAcceleration",
        "AngularMomentum",
        "AngularVelocity",
        "Area",
        "Capacitance",
        "Conductance",
        "Conductivity",
        "Count",
        "Density",
        "Dimensionless",
        "DoseEquivalent",
        "DoseEquivalentRate",
        "DynamicViscosity",
        "ElectricCharge",
        "ElectricCurrent",
        "ElectricCurrentDensity",
        "ElectricFieldStrength",
        "Energy",
        "Exposure",
        "Force",
        "Frequency",
        "Illuminance",
        "Inductance",
        "Irradiance",
        "KinematicViscosity",
        "Length",
        "LinearMomentum",
        "Luminance",
        "LuminousFlux",
        "LuminousIntensity",
        "MagneticFlux",
        "MagneticFluxDensity",
        "MagneticVectorPotential",
        "Mass",
        "MassConcentration",
        "MassFlowRate",
        "MassPerAreaTime",
        "MemoryCapacity",
        "MolalityOfSolute",
        "MolarEnergy",
        "MolarMass",
        "MolarVolume",
        "Power",
        "Pressure",
        "RadiantFlux",
        "RadiantIntensity",
        "RelativeHumidity",
        "Resistance",
        "Resistivity",
        "SolidAngle",
        "SpecificVolume",
        "Speed",
        "SurfaceDensity",
        "SurfaceTension",
        "Temperature",
        "Time",
        "Torque",
        "Voltage",
        "Volume",
        "VolumeFlowRate",
        "VolumeFraction",
        "VolumetricFlux",
        "Wavenumber",
    ]
)

#: CBV 2.0 sensor alert types (sensorReport `exception`).
SENSOR_ALERT_TYPES: Final = frozenset(["ALARM_CONDITION", "ERROR_CONDITION"])

#: CBV 2.0 components (sensorReport `component`).
COMPONENTS: Final = frozenset(
    [
        "x",
        "y",
        "z",
        "axial_distance",
        "azimuth",
        "height",
        "spherical_radius",
        "polar_angle",
        "elevation_angle",
        "easting",
        "northing",
        "latitude",
        "longitude",
        "altitude",
    ]
)
