"""VIN decoding: the make from the WMI, the model year from the 10th character, the shop's
own cars of the same model code proposing make and model."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import make_vehicle
from shop_desk.services import vin

TODAY = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("wmi", "word"),
    [
        ("LFV", "FAW-Volkswagen"),
        ("LSV", "SAIC Volkswagen"),
        ("LGB", "Dongfeng Nissan"),
        ("LHG", "GAC Honda"),
        ("LVS", "Changan Ford"),
        ("LBV", "BMW Brilliance"),
        ("LSG", "SAIC-GM"),
        ("LRW", "特斯拉"),
        ("WVW", "Volkswagen"),
        ("WBA", "宝马 BMW"),
        ("WDD", "Mercedes-Benz"),
        ("JTD", "Toyota"),
    ],
)
def test_the_make_comes_from_the_first_three_characters(wmi, word):
    assert word in vin.make_of(wmi + "CR2651K8001234")


def test_an_unknown_wmi_proposes_no_make():
    assert vin.make_of("XXX00000000000000") == ""


@pytest.mark.parametrize(
    ("code", "year"), [("K", 2019), ("N", 2022), ("T", 2026), ("V", 2027), ("9", 2009), ("A", 2010)]
)
def test_the_model_year_comes_from_the_tenth_character(code, year):
    assert vin.model_year(f"LHGCR2651{code}8001234", TODAY) == year


def test_a_new_vin_proposes_make_and_year_from_the_vin(db):
    proposal = vin.propose("LHGCR2651K8001234", TODAY)
    assert proposal.make.value == "广汽本田 GAC Honda"
    assert proposal.make.source == "from the VIN"
    assert proposal.model is None
    assert (proposal.year.value, proposal.year.source) == ("2019", "from the VIN")


def test_cars_on_file_with_the_same_first_eight_characters_propose_make_and_model(db):
    make_vehicle(vin="LHGCR2650J8000111", make="本田 Honda", model="雅阁 Accord")
    make_vehicle(vin="LHGCR2650K8000222", make="本田 Honda", model="雅阁 Accord")
    make_vehicle(vin="LHGCR2650L8000333", make="本田 Honda", model="雅阁混动 Accord Hybrid")
    make_vehicle(vin="LHGRU5830K8000444", make="本田 Honda", model="缤智 Vezel")  # other code
    proposal = vin.propose("LHGCR2651K8001234", TODAY)
    assert (proposal.make.value, proposal.model.value) == ("本田 Honda", "雅阁 Accord")
    assert proposal.model.source == "like 2 cars on file"
    assert proposal.year.value == "2019"


def test_an_incomplete_or_invalid_vin_proposes_nothing(db):
    assert vin.propose("LHGCR2651", TODAY) == vin.VinProposal()
    assert vin.propose("LHGCR2651K800123O", TODAY) == vin.VinProposal()
